package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// JWTError says why a token could not be read as a JWT.
type JWTError struct {
	Reason string
}

func (e *JWTError) Error() string { return "not a JWT: " + e.Reason }

// DecodeJWTClaims decodes a JWT's payload without verifying it: the Vault UI
// does the same to read exp, and the client has no key to verify with.
// Numbers come back as float64, as encoding/json gives them.
func DecodeJWTClaims(token string) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, &JWTError{fmt.Sprintf("%d parts separated by dots, want 3", len(parts))}
	}
	payload, err := decodeSegment(parts[1])
	if err != nil {
		return nil, &JWTError{"the payload is not base64url: " + err.Error()}
	}
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, &JWTError{"the payload is not a JSON object"}
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, &JWTError{"the payload is not a JSON object: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	return claims, nil
}

// decodeSegment reads base64url without padding, as RFC 7515 writes it, and
// tolerates padding, which some encoders add anyway.
func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// JWTExpiry returns the time of a JWT's exp claim (seconds since the epoch,
// fractions allowed), without verifying the token.
func JWTExpiry(token string) (time.Time, error) {
	claims, err := DecodeJWTClaims(token)
	if err != nil {
		return time.Time{}, err
	}
	return ClaimTime(claims, "exp")
}

// Claim times beyond these bounds are not times a token would carry; the
// bounds also keep the conversion to time.Time far from overflow.
const maxClaimSeconds = 253402300799 // 9999-12-31T23:59:59Z

// ClaimTime reads a NumericDate claim (such as exp or iat) as a time.
func ClaimTime(claims map[string]any, name string) (time.Time, error) {
	v, ok := claims[name]
	if !ok {
		return time.Time{}, fmt.Errorf("the token has no %s claim", name)
	}
	seconds, ok := v.(float64)
	if !ok {
		return time.Time{}, fmt.Errorf("the token's %s claim is not a number", name)
	}
	if math.IsNaN(seconds) || seconds < 0 || seconds > maxClaimSeconds {
		return time.Time{}, fmt.Errorf("the token's %s claim is out of range", name)
	}
	whole, frac := math.Modf(seconds)
	return time.Unix(int64(whole), int64(frac*1e9)).UTC(), nil
}
