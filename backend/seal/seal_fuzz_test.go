package seal

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
)

// Fixed keys, so that the corpus means the same on every run.
const (
	fuzzAccount = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
)

func fuzzIdentity(f *testing.F) *age.X25519Identity {
	id, err := age.ParseX25519Identity(fuzzAccount)
	if err != nil {
		f.Fatal(err)
	}
	return id
}

// FuzzOpenKey feeds OpenKey key envelopes from the chain (anyone can write one). Properties:
// no panic; a rejected envelope is ErrWrongKey or ErrCorrupt, never quoting the identity; an
// accepted one holds a dataset key that seals again to an envelope of EnvelopeSize bytes that
// opens to the same key.
func FuzzOpenKey(f *testing.F) {
	id := fuzzIdentity(f)
	k, err := NewDatasetKey()
	if err != nil {
		f.Fatal(err)
	}
	env, err := SealKey(k, PublicKeyBytes(id))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(env)
	other, _ := age.GenerateX25519Identity()
	env2, _ := SealKey(k, PublicKeyBytes(other))
	f.Add(env2)
	f.Add(env[:len(env)-1])
	f.Add([]byte("age-encryption.org/v1\n-> X25519 \n--- \n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, envelope []byte) {
		got, err := OpenKey(envelope, id)
		if err != nil {
			if !errors.Is(err, ErrWrongKey) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("OpenKey error is neither ErrWrongKey nor ErrCorrupt: %v", err)
			}
			if strings.Contains(err.Error(), fuzzAccount) || strings.Contains(err.Error(), "AGE-SECRET-KEY") {
				t.Fatalf("error quotes a secret: %v", err)
			}
			return
		}
		again, err := SealKey(got, PublicKeyBytes(id))
		if err != nil || len(again) != EnvelopeSize {
			t.Fatalf("resealing an opened key: %d bytes, %v", len(again), err)
		}
		back, err := OpenKey(again, id)
		if err != nil || back.Secret() != got.Secret() {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzDecryptMetadata feeds DecryptMetadata private metadata from IPFS. Properties: no panic;
// errors are ErrWrongKey or ErrCorrupt; an accepted plaintext is at most MaxMetadataSize bytes
// and encrypts again to a ciphertext that decrypts to it.
func FuzzDecryptMetadata(f *testing.F) {
	k, err := ParseDatasetKey(fuzzAccount)
	if err != nil {
		f.Fatal(err)
	}
	ct, err := EncryptMetadata([]byte(`{"name":"x"}`), k)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ct)
	f.Add(ct[:len(ct)-3])
	f.Add([]byte("age-encryption.org/v1\n"))
	f.Fuzz(func(t *testing.T, ciphertext []byte) {
		pt, err := DecryptMetadata(ciphertext, k)
		if err != nil {
			if !errors.Is(err, ErrWrongKey) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("DecryptMetadata error is neither ErrWrongKey nor ErrCorrupt: %v", err)
			}
			return
		}
		if len(pt) > MaxMetadataSize {
			t.Fatalf("accepted %d bytes of plaintext", len(pt))
		}
		again, err := EncryptMetadata(pt, k)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := DecryptMetadata(again, k); err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzParseDatasetKey feeds ParseDatasetKey strings (a dataset key from a backup or a
// keyring). Properties: no panic; the error is the same whatever the input; an accepted key prints
// (Secret) to the same string and parses again to the same key.
func FuzzParseDatasetKey(f *testing.F) {
	f.Add(fuzzAccount)
	f.Add(strings.ToLower(fuzzAccount))
	f.Add(fuzzAccount[:len(fuzzAccount)-1] + "Y")
	f.Add("AGE-SECRET-KEY-1")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseDatasetKey(s)
		if err != nil {
			// The same message whatever s is: it describes nothing of the (secret) input.
			if _, want := ParseDatasetKey("x"); err.Error() != want.Error() {
				t.Fatalf("error depends on the input: %v", err)
			}
			return
		}
		if !strings.EqualFold(k.Secret(), s) {
			t.Fatalf("ParseDatasetKey(%q).Secret() = %q", s, k.Secret())
		}
		k2, err := ParseDatasetKey(k.Secret())
		if err != nil || k2.Secret() != k.Secret() {
			t.Fatalf("round trip: %v", err)
		}
	})
}
