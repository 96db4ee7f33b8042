package model_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// largeBody is a session body of about size bytes: a flat
// custom_consumer_settings of records, as a big real one would be.
func largeBody(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"theme":{"vault_name":"Big"},"custom_consumer_settings":{`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"record_%d":{"name":"customer record %d","limit":12345678901234567890,"ratio":0.1000000000000000055511151231257827,"tags":["a","b",%d]}`, i, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

// BenchmarkDecodeSession1MB reads a 1 MB session body strictly, as
// create --from does.
func BenchmarkDecodeSession1MB(b *testing.B) {
	body := largeBody(1 << 20)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.DecodeSession(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBody1MB writes a session with 1 MB of custom settings as the
// body a create sends.
func BenchmarkBody1MB(b *testing.B) {
	s, err := model.DecodeSession(largeBody(1 << 20))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Body(); err != nil {
			b.Fatal(err)
		}
	}
}
