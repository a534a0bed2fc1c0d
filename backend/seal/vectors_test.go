package seal

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/datashare/datashare/backend/seal/internal/bech32"
)

// The files in testdata were made once by this package and must keep
// opening: they pin the on-chain and on-IPFS formats. Regenerate them only
// when the format is changed on purpose, with
//
//	go test -run TestVectors . -args -regenerate-vectors
var regenerateVectors = flag.Bool("regenerate-vectors", false, "rewrite testdata/ vectors (changes the pinned format!)")

const (
	vectorPayload  = "DataShare seal test vector: payload\n"
	vectorMetadata = `{"name":"seal test vector","private":true}`
)

// testIdentity derives a fixed X25519 identity from a label, so that the test
// vectors need no secret keys committed to the repository. These keys are
// public knowledge and must never be used for anything but tests.
func testIdentity(t testing.TB, label string) *age.X25519Identity {
	t.Helper()
	scalar := sha256.Sum256([]byte("seal test vector identity: " + label))
	s, err := bech32.Encode("AGE-SECRET-KEY-", scalar[:])
	if err != nil {
		t.Fatal(err)
	}
	id, err := age.ParseX25519Identity(strings.ToUpper(s))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestVectors(t *testing.T) {
	account := testIdentity(t, "account")
	datasetKey := &DatasetKey{id: testIdentity(t, "dataset")}
	path := func(name string) string { return filepath.Join("testdata", name) }

	if *regenerateVectors {
		env, err := SealKey(datasetKey, PublicKeyBytes(account))
		if err != nil {
			t.Fatal(err)
		}
		payload := encryptBytes(t, []byte(vectorPayload), datasetKey)
		metadata, err := EncryptMetadata([]byte(vectorMetadata), datasetKey)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{
			"envelope.age": env,
			"payload.age":  payload,
			"metadata.age": metadata,
			"account.pub":  []byte(account.Recipient().String() + "\n"),
		} {
			if err := os.WriteFile(path(name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	read := func(name string) []byte {
		b, err := os.ReadFile(path(name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	if got := strings.TrimSpace(string(read("account.pub"))); got != account.Recipient().String() {
		t.Fatalf("testdata/account.pub = %s, want %s", got, account.Recipient())
	}

	env := read("envelope.age")
	if len(env) != EnvelopeSize {
		t.Errorf("testdata/envelope.age is %d bytes, want EnvelopeSize = %d", len(env), EnvelopeSize)
	}
	k, err := OpenKey(env, account)
	if err != nil {
		t.Fatalf("OpenKey(testdata/envelope.age): %v", err)
	}
	if k.Secret() != datasetKey.Secret() {
		t.Fatal("testdata/envelope.age holds an unexpected dataset key")
	}

	r, err := Decrypt(bytes.NewReader(read("payload.age")), k)
	if err != nil {
		t.Fatalf("Decrypt(testdata/payload.age): %v", err)
	}
	if got, err := io.ReadAll(r); err != nil || string(got) != vectorPayload {
		t.Fatalf("Decrypt(testdata/payload.age) = %q, %v", got, err)
	}

	metadata, err := DecryptMetadata(read("metadata.age"), k)
	if err != nil || string(metadata) != vectorMetadata {
		t.Fatalf("DecryptMetadata(testdata/metadata.age) = %q, %v", metadata, err)
	}
}
