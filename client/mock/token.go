package mock

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// defaultSecret signs the demo's tokens. It is not a secret: the tokens
// open nothing, and a fixed key keeps tokens reproducible for golden tests.
const defaultSecret = "vault-session demo signing key (not secret)"

// tokenHeader marks the token as the demo's with its key id.
const tokenHeader = `{"alg":"HS256","typ":"JWT","kid":"vault-session-demo"}`

// Claims is what a session token carries, as listed for the hosted Vault:
// snake_case, times in seconds since the epoch.
type Claims struct {
	ConsumerID       string                 `json:"consumer_id"`
	ApplicationID    string                 `json:"application_id"`
	ConsumerMetadata model.ConsumerMetadata `json:"consumer_metadata"`
	RedirectURI      string                 `json:"redirect_uri"`
	Theme            model.Theme            `json:"theme"`
	Settings         model.Settings         `json:"settings"`
	IssuedAt         int64                  `json:"iat"`
	ExpiresAt        int64                  `json:"exp"`
}

var b64 = base64.RawURLEncoding

// signHS256 builds a compact JWS (RFC 7515) with HMAC-SHA256.
func signHS256(secret []byte, claims Claims) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signingInput := b64.EncodeToString([]byte(tokenHeader)) + "." + b64.EncodeToString(payload)
	return signingInput + "." + b64.EncodeToString(mac(secret, signingInput)), nil
}

func mac(secret []byte, signingInput string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(signingInput))
	return h.Sum(nil)
}

var errBadToken = errors.New("not a token this demo API issued")

// verifyHS256 checks the signature and the algorithm and returns the claims.
func verifyHS256(secret []byte, token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, errBadToken
	}
	header, err := b64.DecodeString(parts[0])
	if err != nil {
		return Claims{}, errBadToken
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(header, &h) != nil || h.Alg != "HS256" {
		return Claims{}, errBadToken
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac(secret, parts[0]+"."+parts[1])) {
		return Claims{}, errBadToken
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return Claims{}, errBadToken
	}
	var c Claims
	if json.Unmarshal(payload, &c) != nil {
		return Claims{}, errBadToken
	}
	return c, nil
}
