package relayauth

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"
)

var fuzzNow = time.Unix(1700000000, 0)

// FuzzVerify feeds Verify relay JWTs. Properties: no panic; an accepted token is signed by its
// issuer's did:key and valid at now; changing any one character of an accepted token's
// signature part makes it rejected.
func FuzzVerify(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	tok, err := Sign(key, "sub", "wss://relay.example", fuzzNow, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add(tok[:len(tok)-2])
	parts := strings.Split(tok, ".")
	f.Add(parts[0] + "." + parts[1] + ".")
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := Verify(token, fuzzNow)
		if err != nil {
			return
		}
		pub, err := ParseDIDKey(c.Iss)
		if err != nil {
			t.Fatalf("accepted a token whose issuer does not parse: %v", err)
		}
		if fuzzNow.Unix() > c.Exp || fuzzNow.Add(time.Minute).Unix() < c.Iat {
			t.Fatalf("accepted a token outside its validity: %+v", c)
		}
		if DIDKey(pub) != c.Iss {
			t.Fatalf("issuer %q prints as %q", c.Iss, DIDKey(pub))
		}
		i := strings.LastIndexByte(token, '.') + 1
		if i < len(token) {
			flipped := []byte(token)
			if flipped[i] == 'A' {
				flipped[i] = 'B'
			} else {
				flipped[i] = 'A'
			}
			if _, err := Verify(string(flipped), fuzzNow); err == nil {
				t.Fatalf("a token with a changed signature verifies: %q", flipped)
			}
		}
	})
}

// FuzzParseDIDKey feeds ParseDIDKey issuers. Properties: no panic; an accepted did:key holds a
// 32-byte key and prints (DIDKey) to the same string; every key's did:key parses back to it.
func FuzzParseDIDKey(f *testing.F) {
	f.Add(DIDKey(make(ed25519.PublicKey, ed25519.PublicKeySize)), []byte{})
	f.Add("did:key:z6Mk", []byte{1, 2})
	f.Add("did:key:z0OIl", []byte(nil))
	f.Fuzz(func(t *testing.T, did string, seed []byte) {
		if pub, err := ParseDIDKey(did); err == nil {
			if len(pub) != ed25519.PublicKeySize || DIDKey(pub) != did {
				t.Fatalf("ParseDIDKey(%q) = %x, which prints as %q", did, pub, DIDKey(pub))
			}
		}
		k := make(ed25519.PublicKey, ed25519.PublicKeySize)
		copy(k, seed)
		back, err := ParseDIDKey(DIDKey(k))
		if err != nil || !bytes.Equal(back, k) {
			t.Fatalf("round trip of %x: %x, %v", k, back, err)
		}
	})
}
