// Package relayauth implements the WalletConnect relay's client authentication: a client's
// Ed25519 key as a did:key identifier, and the EdDSA JWT a client presents when it connects
// (https://specs.walletconnect.com/2.0/specs/clients/core/relay/relay-client-auth).
//
// Both the dApp client and the test relay use it: the first signs, the second verifies.
package relayauth

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Header is the only JWT header the relay accepts.
var header = []byte(`{"alg":"EdDSA","typ":"JWT"}`)

// Claims are the JWT claims. The field order is the SDK's, so that a token signed here is
// byte-identical to one the SDK signs with the same key and values.
type Claims struct {
	Iss string `json:"iss"` // did:key of the client's Ed25519 key
	Sub string `json:"sub"` // random per-connection nonce (hex)
	Aud string `json:"aud"` // the relay URL
	Iat int64  `json:"iat"` // unix seconds
	Exp int64  `json:"exp"` // unix seconds
}

// didKeyPrefix is "did:key:" and the base58btc multibase prefix "z".
const didKeyPrefix = "did:key:z"

// ed25519Multicodec is the multicodec varint of an Ed25519 public key (0xed).
var ed25519Multicodec = []byte{0xed, 0x01}

// DIDKey is the did:key identifier of an Ed25519 public key: the client id.
func DIDKey(pub ed25519.PublicKey) string {
	return didKeyPrefix + base58Encode(append(append([]byte{}, ed25519Multicodec...), pub...))
}

// ParseDIDKey returns the Ed25519 public key of a did:key identifier.
func ParseDIDKey(did string) (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(did, didKeyPrefix)
	if !ok {
		return nil, errors.New("issuer is not a base58btc did:key")
	}
	b, err := base58Decode(rest)
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	if len(b) != 2+ed25519.PublicKeySize || !bytes.Equal(b[:2], ed25519Multicodec) {
		return nil, errors.New("issuer is not an Ed25519 did:key")
	}
	return ed25519.PublicKey(b[2:]), nil
}

// Sign makes the relay JWT for a client key: iss is the key's did:key, exp is iat + ttl.
func Sign(key ed25519.PrivateKey, sub, aud string, iat time.Time, ttl time.Duration) (string, error) {
	c := Claims{
		Iss: DIDKey(key.Public().(ed25519.PublicKey)),
		Sub: sub,
		Aud: aud,
		Iat: iat.Unix(),
		Exp: iat.Add(ttl).Unix(),
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as JSON.stringify
	if err := enc.Encode(c); err != nil {
		return "", err
	}
	payload := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	data := b64(header) + "." + b64(payload)
	sig := ed25519.Sign(key, []byte(data))
	return data + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Verify checks a relay JWT: its header, its signature by the issuer's key, and that now is
// within [iat - 1 min, exp]. It does not check aud: compare Claims.Aud with the relay's URL.
func Verify(token string, now time.Time) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, errors.New("not a JWT")
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return Claims{}, fmt.Errorf("JWT header: %w", err)
	}
	var hdr struct{ Alg, Typ string }
	if err := json.Unmarshal(h, &hdr); err != nil {
		return Claims{}, fmt.Errorf("JWT header: %w", err)
	}
	if hdr.Alg != "EdDSA" || hdr.Typ != "JWT" {
		return Claims{}, fmt.Errorf("JWT algorithm %q type %q, want EdDSA JWT", hdr.Alg, hdr.Typ)
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return Claims{}, fmt.Errorf("JWT claims: %w", err)
	}
	var c Claims
	if err := json.Unmarshal(p, &c); err != nil {
		return Claims{}, fmt.Errorf("JWT claims: %w", err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return Claims{}, fmt.Errorf("JWT signature: %w", err)
	}
	pub, err := ParseDIDKey(c.Iss)
	if err != nil {
		return Claims{}, err
	}
	if !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
		return Claims{}, errors.New("JWT signature does not verify")
	}
	if now.Unix() > c.Exp {
		return Claims{}, errors.New("JWT expired")
	}
	if now.Add(time.Minute).Unix() < c.Iat {
		return Claims{}, errors.New("JWT issued in the future")
	}
	return c, nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58Encode(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	mod, base := new(big.Int), big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, base58Alphabet[0])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func base58Decode(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty base58 string")
	}
	n := new(big.Int)
	base := big.NewInt(58)
	for _, r := range s {
		i := strings.IndexRune(base58Alphabet, r)
		if i < 0 {
			return nil, fmt.Errorf("invalid base58 character %q", r)
		}
		n.Mul(n, base).Add(n, big.NewInt(int64(i)))
	}
	var zeros int
	for zeros < len(s) && s[zeros] == base58Alphabet[0] {
		zeros++
	}
	return append(make([]byte, zeros), n.Bytes()...), nil
}
