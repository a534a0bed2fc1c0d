package walletconnect

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// vectors are made by the WalletConnect SDK (testdata/wallet/vectors.js, run once).
type vectors struct {
	SDK    string `json:"sdk"`
	X25519 struct {
		PrivateA, PublicA, PrivateB, PublicB, SymKey, Topic string
	} `json:"x25519"`
	Envelopes struct {
		SymKey, Plaintext, IV, Type0, Type0Random, Type1, Type1Sender, Type2 string
	} `json:"envelopes"`
	JWT struct {
		Seed, PublicKey, Iss, Sub, Aud, Token string
		Iat, TTL                              int64
	} `json:"jwt"`
	URI struct {
		SymKey, Topic, URI string
		ExpiryTimestamp    int64
	} `json:"uri"`
	MessageHash struct{ Message, Hash string } `json:"messageHash"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.SDK != "2.25.0" {
		t.Fatalf("vectors from SDK %s, want 2.25.0", v.SDK)
	}
	return v
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func key32(t *testing.T, s string) symKey {
	t.Helper()
	b := unhex(t, s)
	if len(b) != 32 {
		t.Fatalf("key of %d bytes", len(b))
	}
	return symKey(b)
}

func TestSDKVectorsKeyAgreement(t *testing.T) {
	v := loadVectors(t).X25519
	for _, side := range []struct{ priv, peer string }{{v.PrivateA, v.PublicB}, {v.PrivateB, v.PublicA}} {
		priv, err := ecdh.X25519().NewPrivateKey(unhex(t, side.priv))
		if err != nil {
			t.Fatal(err)
		}
		k, err := deriveSymKey(priv, unhex(t, side.peer))
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(k[:]) != v.SymKey {
			t.Fatalf("session key %x, SDK %s", k[:], v.SymKey)
		}
		if k.topic() != v.Topic {
			t.Fatalf("topic %s, SDK %s", k.topic(), v.Topic)
		}
	}
	pa, _ := ecdh.X25519().NewPrivateKey(unhex(t, v.PrivateA))
	if hex.EncodeToString(pa.PublicKey().Bytes()) != v.PublicA {
		t.Fatal("public key differs from the SDK's")
	}
	// A low-order peer key is refused, not turned into a predictable session key.
	if _, err := deriveSymKey(pa, make([]byte, 32)); err == nil {
		t.Fatal("derived a key from the all-zero public key")
	}
}

func TestSDKVectorsEnvelopes(t *testing.T) {
	v := loadVectors(t)
	e := v.Envelopes
	key := key32(t, e.SymKey)
	iv := unhex(t, e.IV)

	// The SDK's envelopes open, and sealing with the same IV gives the same bytes.
	for _, tc := range []struct {
		name, encoded string
		sender        []byte
	}{
		{"type 0", e.Type0, nil},
		{"type 1", e.Type1, unhex(t, e.Type1Sender)},
	} {
		env, err := decodeEnvelope(tc.encoded)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		pt, err := env.open(key)
		if err != nil || string(pt) != e.Plaintext {
			t.Fatalf("%s: open: %q, %v", tc.name, pt, err)
		}
		if !bytes.Equal(env.iv, iv) || !bytes.Equal(env.senderPublic, tc.sender) {
			t.Fatalf("%s: iv %x sender %x", tc.name, env.iv, env.senderPublic)
		}
		got, err := sealWith(key, iv, tc.sender, []byte(e.Plaintext))
		if err != nil || got != tc.encoded {
			t.Fatalf("%s: sealed\n%s\nSDK\n%s (%v)", tc.name, got, tc.encoded, err)
		}
	}

	// Type 1: the receiver derives the key from its private key and the sender's public key.
	env, _ := decodeEnvelope(e.Type1)
	privB, _ := ecdh.X25519().NewPrivateKey(unhex(t, v.X25519.PrivateB))
	k, err := deriveSymKey(privB, env.senderPublic)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := env.open(k); err != nil || string(pt) != e.Plaintext {
		t.Fatalf("type 1 with the derived key: %v", err)
	}

	// A random-IV envelope of the SDK opens too.
	env, err = decodeEnvelope(e.Type0Random)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := env.open(key); err != nil || string(pt) != e.Plaintext {
		t.Fatalf("type 0 (random IV): %v", err)
	}

	// Type 2 (Link Mode) is plaintext after the type byte; it decodes but never "opens".
	env, err = decodeEnvelope(e.Type2)
	if err != nil || env.typ != envelopeType2 || string(env.sealed) != e.Plaintext {
		t.Fatalf("type 2: %+v, %v", env, err)
	}
	if _, err := env.open(key); err == nil {
		t.Fatal("a type 2 envelope opened as if authenticated")
	}

	// Ours open in the SDK's format: type byte, 12-byte IV, padded standard base64.
	ours, err := seal(key, []byte(e.Plaintext))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(ours)
	if err != nil || raw[0] != 0 || len(raw) != 1+12+len(e.Plaintext)+16 {
		t.Fatalf("our envelope %q: %v", ours, err)
	}
	if strings.ContainsAny(ours, "-_") {
		t.Fatal("not standard base64")
	}
}

func TestEnvelopeRejects(t *testing.T) {
	key, _ := newSymKey()
	other, _ := newSymKey()
	good, _ := seal(key, []byte(`{"id":1}`))
	raw, _ := base64.StdEncoding.DecodeString(good)
	tampered := append([]byte(nil), raw...)
	tampered[len(tampered)-1] ^= 1
	for _, tc := range []struct {
		name, encoded string
		key           symKey
		decodeFails   bool
	}{
		{"not base64", "!!!", key, true},
		{"empty", "", key, true},
		{"unknown type", base64.StdEncoding.EncodeToString(append([]byte{7}, raw[1:]...)), key, true},
		{"too short", base64.StdEncoding.EncodeToString(raw[:20]), key, true},
		{"short type 1", base64.StdEncoding.EncodeToString([]byte{1, 2, 3}), key, true},
		{"tampered", base64.StdEncoding.EncodeToString(tampered), key, false},
		{"another key", good, other, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := decodeEnvelope(tc.encoded)
			if tc.decodeFails {
				if err == nil {
					t.Fatal("decoded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.open(tc.key); err == nil {
				t.Fatal("opened")
			}
		})
	}
	// Unpadded and URL-safe forms of a good envelope are accepted.
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		env, err := decodeEnvelope(enc.EncodeToString(raw))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.open(key); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSymKeyNeverPrinted(t *testing.T) {
	k, _ := newSymKey()
	for _, s := range []string{k.String(), k.GoString()} {
		if strings.Contains(s, hex.EncodeToString(k[:4])) {
			t.Fatal("key printed")
		}
	}
}

func TestSDKVectorsURI(t *testing.T) {
	v := loadVectors(t).URI
	u := pairingURI{Topic: v.Topic, SymKey: key32(t, v.SymKey), RelayProtocol: "irn", Expiry: time.Unix(v.ExpiryTimestamp, 0)}
	if u.String() != v.URI {
		t.Fatalf("built\n%s\nSDK\n%s", u.String(), v.URI)
	}
	got, err := parsePairingURI(v.URI)
	if err != nil {
		t.Fatal(err)
	}
	if got != u {
		t.Fatalf("parsed %+v, want %+v", got, u)
	}
}

func TestPairingURI(t *testing.T) {
	k, _ := newSymKey()
	good := pairingURI{Topic: k.topic(), SymKey: k, RelayProtocol: "irn", Expiry: time.Unix(1700000300, 0)}
	s := good.String()
	if !strings.HasPrefix(s, "wc:"+k.topic()+"@2?expiryTimestamp=1700000300&relay-protocol=irn&symKey=") || strings.Contains(s, "methods") {
		t.Fatalf("URI %s", s)
	}
	if got, err := parsePairingURI("wc://" + strings.TrimPrefix(s, "wc:")); err != nil || got != good {
		t.Fatalf("wc:// form: %+v, %v", got, err)
	}
	other, _ := newSymKey()
	for name, bad := range map[string]string{
		"not wc":        "https://example.com",
		"version 1":     strings.Replace(s, "@2", "@1", 1),
		"no version":    strings.Replace(s, "@2", "", 1),
		"topic not key": strings.Replace(s, k.topic(), other.topic(), 1),
		"short key":     "wc:" + k.topic() + "@2?relay-protocol=irn&symKey=abcd",
		"no relay":      strings.Replace(s, "relay-protocol=irn&", "", 1),
		"bad expiry":    strings.Replace(s, "1700000300", "soon", 1),
	} {
		if _, err := parsePairingURI(bad); err == nil {
			t.Errorf("%s: parsed %s", name, bad)
		}
	}
}

func TestRPCIDsFitAFloat64(t *testing.T) {
	prev := uint64(0)
	for range 10000 {
		id := newRPCID()
		if id <= prev {
			t.Fatalf("id %d after %d", id, prev)
		}
		if uint64(float64(id)) != id {
			t.Fatalf("id %d does not survive a float64", id)
		}
		prev = id
	}
	if now := uint64(time.Now().UnixMilli()) * 1000; prev < now-1_000_000 || prev > now+1_000_000 {
		t.Fatalf("id %d is not ms×1000 (now %d)", prev, now)
	}
}
