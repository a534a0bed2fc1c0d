package walletconnect

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// symKey is a 32-byte ChaCha20-Poly1305 key: a pairing's (from the URI) or a session's (from
// X25519 + HKDF). Its String never shows it.
type symKey [32]byte

func (symKey) String() string   { return "symKey(…)" }
func (symKey) GoString() string { return "symKey(…)" }

// topic is the relay topic a key encrypts for: hex(sha256(key)).
func (k symKey) topic() string {
	h := sha256.Sum256(k[:])
	return hex.EncodeToString(h[:])
}

func newSymKey() (symKey, error) {
	var k symKey
	_, err := rand.Read(k[:])
	return k, err
}

// deriveSymKey is the session key: HKDF-SHA256 (empty salt and info) of the X25519 shared
// secret of our private key and the peer's public key.
func deriveSymKey(priv *ecdh.PrivateKey, peerPublic []byte) (symKey, error) {
	pub, err := ecdh.X25519().NewPublicKey(peerPublic)
	if err != nil {
		return symKey{}, fmt.Errorf("peer public key: %w", err)
	}
	shared, err := priv.ECDH(pub)
	if err != nil {
		return symKey{}, fmt.Errorf("key agreement: %w", err)
	}
	k, err := hkdf.Key(sha256.New, shared, nil, "", 32)
	if err != nil {
		return symKey{}, err
	}
	return symKey(k), nil
}

// Envelope types (the first byte of an envelope).
const (
	envelopeType0 = 0 // type | iv | sealed
	envelopeType1 = 1 // type | sender public key | iv | sealed: the receiver derives the key
	envelopeType2 = 2 // type | plaintext (Link Mode only; never trusted over the relay)
)

const ivSize = chacha20poly1305.NonceSize // 12

// seal encrypts plaintext for key into a type 0 envelope, in padded standard base64.
func seal(key symKey, plaintext []byte) (string, error) {
	iv := make([]byte, ivSize)
	if _, err := rand.Read(iv); err != nil {
		return "", err
	}
	return sealWith(key, iv, nil, plaintext)
}

// sealWith encrypts with a given iv; senderPublic non-nil makes a type 1 envelope.
func sealWith(key symKey, iv, senderPublic, plaintext []byte) (string, error) {
	aead, err := chacha20poly1305.New(key[:])
	if err != nil {
		return "", err
	}
	out := []byte{envelopeType0}
	if senderPublic != nil {
		if len(senderPublic) != 32 {
			return "", errors.New("type 1 envelope: sender public key must be 32 bytes")
		}
		out[0] = envelopeType1
		out = append(out, senderPublic...)
	}
	out = append(out, iv...)
	out = aead.Seal(out, iv, plaintext, nil)
	return base64.StdEncoding.EncodeToString(out), nil
}

// envelope is a decoded envelope, still sealed (types 0 and 1) or plain (type 2).
type envelope struct {
	typ          byte
	senderPublic []byte // type 1
	iv           []byte // types 0 and 1
	sealed       []byte // ciphertext and tag; plaintext for type 2
}

var errBadEnvelope = errors.New("malformed envelope")

// decodeEnvelope parses the base64 form of an envelope of type 0, 1 or 2.
func decodeEnvelope(encoded string) (envelope, error) {
	b, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		// The SDK writes padded standard base64; accept unpadded or URL-safe forms too.
		if b, err = decodeLooseBase64(encoded); err != nil {
			return envelope{}, fmt.Errorf("%w: not base64", errBadEnvelope)
		}
	}
	if len(b) == 0 {
		return envelope{}, fmt.Errorf("%w: empty", errBadEnvelope)
	}
	e := envelope{typ: b[0]}
	rest := b[1:]
	switch e.typ {
	case envelopeType2:
		e.sealed = rest
		return e, nil
	case envelopeType1:
		if len(rest) < 32 {
			return envelope{}, fmt.Errorf("%w: short type 1", errBadEnvelope)
		}
		e.senderPublic, rest = rest[:32], rest[32:]
	case envelopeType0:
	default:
		return envelope{}, fmt.Errorf("%w: unknown type %d", errBadEnvelope, e.typ)
	}
	if len(rest) < ivSize+chacha20poly1305.Overhead {
		return envelope{}, fmt.Errorf("%w: too short", errBadEnvelope)
	}
	e.iv, e.sealed = rest[:ivSize], rest[ivSize:]
	return e, nil
}

func decodeLooseBase64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errBadEnvelope
}

// open decrypts a type 0 or type 1 envelope with key (for type 1, the key derived from the
// receiver's private key and e.senderPublic).
func (e envelope) open(key symKey) ([]byte, error) {
	if e.typ == envelopeType2 {
		return nil, errors.New("type 2 envelopes are not encrypted")
	}
	aead, err := chacha20poly1305.New(key[:])
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, e.iv, e.sealed, nil)
	if err != nil {
		return nil, errors.New("envelope does not decrypt with the topic's key")
	}
	return pt, nil
}
