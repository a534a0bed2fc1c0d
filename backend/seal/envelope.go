package seal

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"

	"github.com/datashare/datashare/backend/seal/internal/bech32"
)

// EnvelopeSize is the length in bytes of every key envelope made by
// [SealKey]. It is constant because the envelope has one X25519 recipient and
// a fixed-length plaintext:
//
//	 22  "age-encryption.org/v1\n"
//	 54  "-> X25519 " + ephemeral share (43 base64 chars) + "\n"
//	 44  wrapped file key (43 base64 chars) + "\n"
//	 48  "--- " + header MAC (43 base64 chars) + "\n"
//	 16  payload nonce
//	 91  one STREAM chunk: "AGE-SECRET-KEY-1..." (74) + "\n" + 16-byte tag
//	---
//	275
const EnvelopeSize = 275

// MaxEnvelopeSize is the size above which [OpenKey] rejects an envelope
// without trying to parse it.
const MaxEnvelopeSize = 1024

// ErrInvalidPublicKey is returned (wrapped) by [RecipientFromBytes] and
// [SealKey] when a raw public key can't belong to any X25519 identity, for
// example because it is all zeroes (an account that registered no key).
var ErrInvalidPublicKey = errors.New("invalid X25519 public key")

// PublicKeyBytes returns the raw 32-byte X25519 public key of id, the form in
// which an account's encryption key is registered on chain.
func PublicKeyBytes(id *age.X25519Identity) [32]byte {
	hrp, b, err := bech32.Decode(id.Recipient().String())
	if err != nil || hrp != "age" || len(b) != 32 {
		// age always produces a valid "age1..." encoding of 32 bytes.
		panic("seal: internal error: unexpected age recipient encoding")
	}
	return [32]byte(b)
}

// RecipientFromBytes returns the age recipient for a raw 32-byte X25519 public
// key, as registered on chain and returned by [PublicKeyBytes].
//
// It rejects, with an error wrapping [ErrInvalidPublicKey], the all-zero key,
// non-canonical encodings, and the low-order points, none of which can be the
// public key of an identity and to which encryption would be either
// impossible or insecure.
func RecipientFromBytes(pub [32]byte) (*age.X25519Recipient, error) {
	if err := checkPublicKey(pub); err != nil {
		return nil, fmt.Errorf("seal: %w: %s", ErrInvalidPublicKey, err)
	}
	s, err := bech32.Encode("age", pub[:])
	if err != nil {
		return nil, fmt.Errorf("seal: internal error: encoding recipient: %w", err)
	}
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return nil, fmt.Errorf("seal: internal error: parsing recipient: %w", err)
	}
	return r, nil
}

// lowOrderCheckKey is an arbitrary, public, fixed scalar. Since X25519 clamps
// every scalar to a multiple of the cofactor 8, multiplying a point by it
// yields the identity (which crypto/ecdh reports as an error) exactly when the
// point has low order.
var lowOrderCheckKey = func() *ecdh.PrivateKey {
	k, err := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{0x5a}, 32))
	if err != nil {
		panic("seal: internal error: " + err.Error())
	}
	return k
}()

func checkPublicKey(pub [32]byte) error {
	if pub == [32]byte{} {
		return errors.New("all zeroes (no key registered?)")
	}
	// Only canonical encodings (little-endian u < 2^255 - 19) can come out of
	// X25519. age mixes the raw encoding into the key derivation, so a
	// non-canonical encoding of a valid point would produce envelopes that
	// the owner of the point can't open.
	if pub[31]&0x80 != 0 {
		return errors.New("not canonical (top bit set)")
	}
	if pub[31] == 0x7f && pub[0] >= 0xed && allFF(pub[1:31]) {
		return errors.New("not canonical (not reduced modulo 2^255-19)")
	}
	p, err := ecdh.X25519().NewPublicKey(pub[:])
	if err != nil {
		return errors.New("malformed")
	}
	if _, err := lowOrderCheckKey.ECDH(p); err != nil {
		return errors.New("low-order point")
	}
	return nil
}

func allFF(b []byte) bool {
	for _, c := range b {
		if c != 0xff {
			return false
		}
	}
	return true
}

// SealKey encrypts the dataset key k to the account whose raw X25519 public
// key is recipient, producing a key envelope of [EnvelopeSize] bytes.
//
// The envelope is a binary age file whose plaintext is k as an age identity
// file, so the recipient can also open it with the age tool.
func SealKey(k *DatasetKey, recipient [32]byte) ([]byte, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	r, err := RecipientFromBytes(recipient)
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, EnvelopeSize))
	w, err := age.Encrypt(buf, r)
	if err != nil {
		return nil, fmt.Errorf("seal: failed to seal dataset key: %w", err)
	}
	if _, err := io.WriteString(w, k.Secret()+"\n"); err != nil {
		return nil, fmt.Errorf("seal: failed to seal dataset key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("seal: failed to seal dataset key: %w", err)
	}
	return buf.Bytes(), nil
}

// OpenKey decrypts a key envelope made by [SealKey] with the account
// identity id, and returns the dataset key it contains.
//
// If the envelope was not sealed to id, the error wraps [ErrWrongKey]. If it
// is larger than [MaxEnvelopeSize], fails authentication, or doesn't contain
// exactly one age X25519 identity (optionally followed by a newline), the
// error wraps [ErrCorrupt].
func OpenKey(envelope []byte, id *age.X25519Identity) (*DatasetKey, error) {
	if id == nil {
		return nil, errors.New("seal: nil identity")
	}
	if len(envelope) > MaxEnvelopeSize {
		return nil, fmt.Errorf("seal: failed to open key envelope: %w: %d bytes, more than %d",
			ErrCorrupt, len(envelope), MaxEnvelopeSize)
	}
	r, err := decrypt(bytes.NewReader(envelope), id, "key envelope")
	if err != nil {
		return nil, err
	}
	plaintext, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s, _ := strings.CutSuffix(string(plaintext), "\n")
	key, err := age.ParseX25519Identity(s)
	if err != nil {
		// Don't wrap err: it might quote part of the plaintext.
		return nil, fmt.Errorf("seal: failed to open key envelope: %w: plaintext is not an age X25519 identity", ErrCorrupt)
	}
	return &DatasetKey{id: key}, nil
}
