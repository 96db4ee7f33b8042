package terminal

import (
	"bytes"
	"reflect"
	"testing"
)

func TestReplyScannerTakesOutOnlyReplies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reads   []string
		keys    string
		replies []reply
	}{
		{"keys only", []string{"abc\r"}, "abc\r", nil},
		{"colour with ST then DA1", []string{"\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\\x1b[?62;22c"}, "",
			[]reply{{backgroundReply, "rgb:1e1e/1e1e/1e1e"}, {kind: attributesReply}}},
		{"colour with BEL", []string{"x\x1b]11;rgb:ff/ff/ff\x07y"}, "xy", []reply{{backgroundReply, "rgb:ff/ff/ff"}}},
		{"keys typed around the answers", []string{"Ze", "\x1b[?1;2c", "d"}, "Zed", []reply{{kind: attributesReply}}},
		{"a reply cut between reads", []string{"a\x1b]11;rgb:00", "00/0000/0000\x1b", "\\b"}, "ab",
			[]reply{{backgroundReply, "rgb:0000/0000/0000"}}},
		{"DA1 cut between reads", []string{"\x1b[?6", "2c"}, "", []reply{{kind: attributesReply}}},
		{"arrow keys pass", []string{"\x1b[A\x1b[B\x1bOA"}, "\x1b[A\x1b[B\x1bOA", nil},
		{"Esc alone passes at once", []string{"\x1b"}, "\x1b", nil},
		{"Alt+] passes", []string{"\x1b]"}, "\x1b]", nil},
		{"another private report passes", []string{"\x1b[?2026;2$y"}, "\x1b[?2026;2$y", nil},
		{"a paste passes", []string{"\x1b[200~{\"a\": 1}\x1b[201~"}, "\x1b[200~{\"a\": 1}\x1b[201~", nil},
		{"an OSC that is not a reply", []string{"\x1b]11;x\ny"}, "\x1b]11;x\ny", nil},
		{"a held start that was not a reply", []string{"\x1b[?", "x"}, "\x1b[?x", nil},
	} {
		var s replyScanner
		var keys []byte
		var replies []reply
		for _, read := range tc.reads {
			k, r := s.scan([]byte(read))
			keys = append(keys, k...)
			replies = append(replies, r...)
		}
		if string(keys) != tc.keys || !reflect.DeepEqual(replies, tc.replies) {
			t.Errorf("%s: keys %q, replies %+v; want %q, %+v", tc.name, keys, replies, tc.keys, tc.replies)
		}
	}
}

// FuzzReplyScanner: however the stream is cut into reads, the keys and
// replies are the same. (A cut
// inside the first bytes of a reply, before it says it is one, is left
// out: those bytes are passed on as keys, so an Esc pressed alone is not
// held back; a terminal writes its reply in one go.)
func FuzzReplyScanner(f *testing.F) {
	f.Add([]byte("ab\x1b]11;rgb:1/2/3\x07cd\x1b[?62c"), 5)
	f.Add([]byte("\x1b[?\x1b]11;\x1b\\"), 2)
	f.Add([]byte("\x1b\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?1;2c\x1b[A"), 11)
	f.Fuzz(func(t *testing.T, stream []byte, cut int) {
		var whole replyScanner
		keys, replies := whole.scan(stream)
		keys = append(keys, whole.held...)

		cut = min(max(cut, 0), len(stream))
		if esc := bytes.LastIndexByte(stream[:cut], 0x1b); esc >= 0 && cut-esc < len(oscBackground) {
			t.Skip()
		}
		var split replyScanner
		k1, r1 := split.scan(append([]byte(nil), stream[:cut]...))
		k2, r2 := split.scan(append([]byte(nil), stream[cut:]...))
		splitKeys := append(append(k1, k2...), split.held...)
		if !bytes.Equal(keys, splitKeys) || len(replies) != len(r1)+len(r2) {
			t.Fatalf("whole: %q %+v; cut at %d: %q %+v %+v", keys, replies, cut, splitKeys, r1, r2)
		}
	})
}
