package client

import (
	"encoding/base64"
	"errors"
	"reflect"
	"testing"
	"time"
)

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestDecodeJWTClaims(t *testing.T) {
	payload := `{"consumer_id":"test-consumer","exp":1700003600,"iat":1700000000,"settings":{"unified_apis":["crm"]}}`
	want := map[string]any{
		"consumer_id": "test-consumer",
		"exp":         float64(1700003600),
		"iat":         float64(1700000000),
		"settings":    map[string]any{"unified_apis": []any{"crm"}},
	}
	padded := base64.URLEncoding.EncodeToString([]byte(payload))
	for name, token := range map[string]string{
		"unpadded": "eyJhbGciOiJIUzI1NiJ9." + b64url(payload) + ".sig",
		"padded":   "eyJhbGciOiJIUzI1NiJ9." + padded + ".sig",
		"unsigned": "eyJhbGciOiJub25lIn0." + b64url(payload) + ".",
	} {
		got, err := DecodeJWTClaims(token)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: claims = %#v, want %#v", name, got, want)
		}
	}
}

func TestDecodeJWTClaimsErrors(t *testing.T) {
	for name, token := range map[string]string{
		"empty":           "",
		"one segment":     "abc",
		"two segments":    "a.b",
		"four segments":   "a.b.c.d",
		"bad base64":      "a.!!!.c",
		"standard base64": "a." + "eyJhIjoi+/8ifQ" + ".c",
		"not JSON":        "a." + b64url("hello") + ".c",
		"an array":        "a." + b64url("[1,2]") + ".c",
		"a string":        "a." + b64url(`"x"`) + ".c",
		"null":            "a." + b64url("null") + ".c",
		"trailing data":   "a." + b64url(`{"a":1}{}`) + ".c",
		"empty payload":   "a..c",
	} {
		claims, err := DecodeJWTClaims(token)
		var jwtErr *JWTError
		if !errors.As(err, &jwtErr) || claims != nil {
			t.Errorf("%s: claims %v, err %v; want nil and a *JWTError", name, claims, err)
		}
	}
}

func TestJWTExpiry(t *testing.T) {
	token := "h." + b64url(`{"exp":1700003600.5}`) + ".s"
	got, err := JWTExpiry(token)
	want := time.Unix(1700003600, 500_000_000).UTC()
	if err != nil || !got.Equal(want) {
		t.Errorf("JWTExpiry = %v, %v; want %v", got, err, want)
	}
	for name, payload := range map[string]string{
		"no exp":       `{"iat":1}`,
		"string exp":   `{"exp":"1700000000"}`,
		"negative exp": `{"exp":-5}`,
		"huge exp":     `{"exp":1e300}`,
	} {
		if _, err := JWTExpiry("h." + b64url(payload) + ".s"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzDecodeJWTClaims(f *testing.F) {
	for _, seed := range []string{
		"", ".", "..", "a.b.c", "a.b.c.d",
		"eyJhbGciOiJIUzI1NiJ9." + b64url(`{"exp":1700003600,"consumer_id":"x"}`) + ".sig",
		"h." + base64.URLEncoding.EncodeToString([]byte(`{"a":[1,{"b":null}]}`)) + ".s",
		"h." + b64url(`{"exp":1e400}`) + ".s",
		"h." + b64url("\xff\xfe") + ".s",
		"h.====.s",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := DecodeJWTClaims(token)
		if err != nil {
			if claims != nil {
				t.Fatalf("claims %v with error %v", claims, err)
			}
			return
		}
		if claims == nil {
			t.Fatal("nil claims without an error")
		}
		// Whatever the claims, reading exp must not panic.
		ClaimTime(claims, "exp")
	})
}
