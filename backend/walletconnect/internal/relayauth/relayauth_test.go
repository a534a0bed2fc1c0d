package relayauth

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// sdkJWT is the relay JWT the WalletConnect SDK made (../../testdata/vectors.json).
type sdkJWT struct {
	Seed, PublicKey, Iss, Sub, Aud, Token string
	Iat, TTL                              int64
}

func loadSDKJWT(t *testing.T) sdkJWT {
	t.Helper()
	b, err := os.ReadFile("../../testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ JWT sdkJWT }
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v.JWT
}

func TestSDKVectors(t *testing.T) {
	v := loadSDKJWT(t)
	seed, _ := hex.DecodeString(v.Seed)
	key := ed25519.NewKeyFromSeed(seed)
	if hex.EncodeToString(key.Public().(ed25519.PublicKey)) != v.PublicKey {
		t.Fatal("public key differs from the SDK's")
	}
	if got := DIDKey(key.Public().(ed25519.PublicKey)); got != v.Iss {
		t.Fatalf("did:key %s, SDK %s", got, v.Iss)
	}
	pub, err := ParseDIDKey(v.Iss)
	if err != nil || !bytes.Equal(pub, key.Public().(ed25519.PublicKey)) {
		t.Fatalf("ParseDIDKey: %x, %v", pub, err)
	}
	// Same key, nonce, audience and time: the same token, byte for byte (Ed25519 is
	// deterministic, and the claims are serialised in the SDK's order).
	tok, err := Sign(key, v.Sub, v.Aud, time.Unix(v.Iat, 0), time.Duration(v.TTL)*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if tok != v.Token {
		t.Fatalf("token\n%s\nSDK\n%s", tok, v.Token)
	}
	// The SDK's token verifies here, and directly with ed25519.
	c, err := Verify(v.Token, time.Unix(v.Iat+60, 0))
	if err != nil {
		t.Fatal(err)
	}
	if c.Iss != v.Iss || c.Sub != v.Sub || c.Aud != v.Aud || c.Iat != v.Iat || c.Exp != v.Iat+v.TTL {
		t.Fatalf("claims %+v", c)
	}
	parts := strings.Split(v.Token, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
		t.Fatal("the SDK's signature does not verify with crypto/ed25519")
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(hdr) != `{"alg":"EdDSA","typ":"JWT"}` {
		t.Fatalf("header %s", hdr)
	}
}

func TestSignVerify(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	_, other, _ := ed25519.GenerateKey(nil)
	now := time.Now()
	tok, err := Sign(key, "abc", "wss://relay.example&x=<y>", now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Verify(tok, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Aud != "wss://relay.example&x=<y>" || c.Exp-c.Iat != 86400 || c.Iss != DIDKey(key.Public().(ed25519.PublicKey)) {
		t.Fatalf("claims %+v", c)
	}
	if p, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1]); bytes.Contains(p, []byte(`\u0026`)) {
		t.Fatal("claims HTML-escaped, unlike JSON.stringify")
	}

	parts := strings.Split(tok, ".")
	forged, _ := Sign(other, "abc", "wss://relay.example", now, time.Hour)
	fparts := strings.Split(forged, ".")
	swapIss := func() string {
		var c Claims
		p, _ := base64.RawURLEncoding.DecodeString(fparts[1])
		_ = json.Unmarshal(p, &c)
		c.Iss = DIDKey(key.Public().(ed25519.PublicKey)) // claim to be key, signed by other
		b, _ := json.Marshal(c)
		return fparts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + fparts[2]
	}
	badHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2]
	for name, bad := range map[string]struct {
		tok string
		at  time.Time
	}{
		"not a JWT":     {"abc", now},
		"alg none":      {badHeader, now},
		"forged issuer": {swapIss(), now},
		"bad signature": {parts[0] + "." + parts[1] + "." + fparts[2], now},
		"expired":       {tok, now.Add(25 * time.Hour)},
		"future":        {tok, now.Add(-time.Hour)},
	} {
		if _, err := Verify(bad.tok, bad.at); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestDIDKey(t *testing.T) {
	for _, bad := range []string{"did:key:", "did:web:z6Mk", "did:key:z0OIl", "did:key:z" + base58Encode([]byte{0xec, 0x01, 1, 2})} {
		if _, err := ParseDIDKey(bad); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
	for _, b := range [][]byte{{0}, {0, 0, 1}, {1, 2, 3}, bytes.Repeat([]byte{0xff}, 34)} {
		got, err := base58Decode(base58Encode(b))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("base58 round trip of %x: %x, %v", b, got, err)
		}
	}
}
