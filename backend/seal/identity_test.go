package seal_test

import (
	"bytes"
	"testing"

	"filippo.io/age"

	"github.com/datashare/datashare/backend/seal"
)

// TestIdentityFromBytes: the identity made from 32 bytes is the one age itself encodes for that
// scalar (round trip through its text form), is deterministic, and opens an envelope sealed to
// its public key.
func TestIdentityFromBytes(t *testing.T) {
	var a, b [32]byte
	for i := range a {
		a[i], b[i] = byte(i), byte(255-i)
	}
	ida, err := seal.IdentityFromBytes(a)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := seal.IdentityFromBytes(a)
	idb, _ := seal.IdentityFromBytes(b)
	if ida.String() != again.String() || ida.String() == idb.String() {
		t.Fatalf("not deterministic or not distinct: %s %s %s", ida.Recipient(), again.Recipient(), idb.Recipient())
	}
	parsed, err := age.ParseX25519Identity(ida.String())
	if err != nil || parsed.Recipient().String() != ida.Recipient().String() {
		t.Fatalf("round trip: %v", err)
	}
	k, err := seal.NewDatasetKey()
	if err != nil {
		t.Fatal(err)
	}
	env, err := seal.SealKey(k, seal.PublicKeyBytes(ida))
	if err != nil {
		t.Fatal(err)
	}
	got, err := seal.OpenKey(env, ida)
	if err != nil || got.Secret() != k.Secret() {
		t.Fatalf("open with the derived identity: %v", err)
	}
	if _, err := seal.OpenKey(env, idb); err == nil {
		t.Fatal("another derived identity opened the envelope")
	}
	if bytes.Contains([]byte(ida.Recipient().String()), []byte("SECRET")) {
		t.Fatal("recipient shows the secret form")
	}
}
