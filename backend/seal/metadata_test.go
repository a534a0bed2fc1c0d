package seal

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
)

func TestMetadataRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 100, chunkSize - 1, MaxMetadataSize} {
		k := newKey(t)
		metadata := randomBytes(size)
		c, err := EncryptMetadata(metadata, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != ciphertextSize(size) {
			t.Errorf("%d bytes of metadata encrypted to %d bytes, want %d", size, len(c), ciphertextSize(size))
		}
		got, err := DecryptMetadata(c, k)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, metadata) {
			t.Fatalf("round trip of %d bytes of metadata: plaintext differs", size)
		}
		// It is a plain age file.
		id, err := age.ParseX25519Identity(k.Secret())
		if err != nil {
			t.Fatal(err)
		}
		r, err := age.Decrypt(bytes.NewReader(c), id)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, metadata) {
			t.Fatalf("age decryption of metadata: %v", err)
		}
	}
}

func TestMetadataErrors(t *testing.T) {
	k := newKey(t)
	if _, err := EncryptMetadata(make([]byte, MaxMetadataSize+1), k); err == nil {
		t.Error("EncryptMetadata accepted more than MaxMetadataSize bytes")
	}

	c, err := EncryptMetadata([]byte(`{"name":"private"}`), k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecryptMetadata(c, newKey(t)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("wrong key: got %v, want ErrWrongKey", err)
	}

	flipped := bytes.Clone(c)
	flipped[len(flipped)-3] ^= 0x10
	// Too large plaintext, made with the age API directly.
	var big bytes.Buffer
	w, err := Encrypt(&big, k)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, MaxMetadataSize+1))
	w.Close()
	for name, c := range map[string][]byte{
		"flipped byte":       flipped,
		"truncated":          c[:len(c)-1],
		"empty":              nil,
		"plaintext too big":  big.Bytes(),
		"ciphertext too big": make([]byte, 2*MaxMetadataSize),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecryptMetadata(c, k)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
			if got != nil {
				t.Errorf("returned %d bytes of plaintext along with an error", len(got))
			}
		})
	}
}
