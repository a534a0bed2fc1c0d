package link_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/curve25519"
	xhkdf "golang.org/x/crypto/hkdf"

	"github.com/datashare/datashare/backend/link"
	"github.com/datashare/datashare/backend/seal"
)

var contract = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")

type vector struct {
	URL       string `json:"url"`
	ChainID   uint64 `json:"chainId"`
	Contract  string `json:"contract"`
	Dataset   uint64 `json:"dataset"`
	Address   string `json:"address"`
	Recipient string `json:"recipient"`
}

// TestVectors: links already given out keep opening the same grant: the derived account and
// key of fixed secrets never change.
func TestVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 2 {
		t.Fatalf("%d vectors", len(vs))
	}
	for _, v := range vs {
		l, err := link.Parse(v.URL)
		if err != nil {
			t.Fatalf("%s: %v", v.URL, err)
		}
		if l.ChainID != v.ChainID || l.Contract.Hex() != v.Contract || l.Dataset != v.Dataset {
			t.Errorf("%s: parsed %d %s %d", v.URL, l.ChainID, l.Contract.Hex(), l.Dataset)
		}
		if l.Address().Hex() != v.Address || l.Identity().Recipient().String() != v.Recipient {
			t.Errorf("%s: derived %s %s", v.URL, l.Address().Hex(), l.Identity().Recipient())
		}
		if l.URL() != v.URL {
			t.Errorf("URL() = %s, want %s", l.URL(), v.URL)
		}
	}
}

// TestDerivation recomputes the derivation the package documents with other implementations
// (x/crypto's HKDF, curve25519 directly) for random secrets.
func TestDerivation(t *testing.T) {
	for i := 0; i < 50; i++ {
		l, err := link.New(1337, contract, uint64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		secret := secretOf(t, l)
		key := make([]byte, 32)
		io.ReadFull(xhkdf.New(sha256.New, secret, nil, []byte("datashare link v1: grantee account #0")), key)
		k, err := crypto.ToECDSA(key)
		if err != nil {
			t.Fatal(err) // probability 2^-128
		}
		if want := crypto.PubkeyToAddress(k.PublicKey); l.Address() != want {
			t.Fatalf("address %s, want %s", l.Address().Hex(), want.Hex())
		}
		x := make([]byte, 32)
		io.ReadFull(xhkdf.New(sha256.New, secret, nil, []byte("datashare link v1: encryption identity")), x)
		pub, err := curve25519.X25519(x, curve25519.Basepoint)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.PublicKey(); string(got[:]) != string(pub) {
			t.Fatalf("public key %x, want %x", got, pub)
		}
	}
}

func secretOf(t *testing.T, l *link.Link) []byte {
	t.Helper()
	_, s, _ := strings.Cut(l.URL(), "#")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("secret %q: %v", s, err)
	}
	return b
}

// TestNew: fresh links differ, round-trip through their URL, and fit a small QR code.
func TestNew(t *testing.T) {
	a, err := link.New(11155111, contract, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := link.New(11155111, contract, 1<<40)
	if a.Equal(b) || a.Address() == b.Address() || a.URL() == b.URL() {
		t.Fatal("two new links are the same")
	}
	p, err := link.Parse(a.URL())
	if err != nil || !p.Equal(a) || p.Address() != a.Address() {
		t.Fatalf("round trip: %v", err)
	}
	if n := len(a.URL()); n > 130 { // QR version 7 at low correction holds 154 bytes
		t.Fatalf("a link is %d characters", n)
	}
	for _, bad := range [][3]uint64{{0, 1, 1}, {1, 0, 1}} {
		if _, err := link.New(bad[0], contract, bad[1]); err == nil {
			t.Errorf("New(%d, _, %d) accepted", bad[0], bad[1])
		}
	}
	if _, err := link.New(1, common.Address{}, 1); err == nil {
		t.Error("New with no contract accepted")
	}
}

// TestParseBad: every malformed link gets a sentence naming what is wrong, matches
// ErrMalformed, and never repeats the secret.
func TestParseBad(t *testing.T) {
	good, _ := link.New(1337, contract, 7)
	_, secret, _ := strings.Cut(good.URL(), "#")
	head := fmt.Sprintf("datashare://1337/%s/7", contract.Hex())
	lower := strings.ToLower(contract.Hex())
	bad := strings.Replace(contract.Hex(), "F", "f", 1) // a broken checksum
	cases := []struct{ in, want string }{
		{"", "is not a DataShare link"},
		{"https://example.org/#" + secret, "is not a DataShare link"},
		{"datashare:1337/" + contract.Hex() + "/7#" + secret, "is not a DataShare link"},
		{"datashare://1337/" + contract.Hex() + "#" + secret, "is not a whole DataShare link"},
		{head + "/8#" + secret, "is not a whole DataShare link"},
		{head + "?x=1#" + secret, "is not a dataset id"},
		{"datashare://0/" + contract.Hex() + "/7#" + secret, "is not a network"},
		{"datashare://01337/" + contract.Hex() + "/7#" + secret, "is not a network"},
		{"datashare://-1/" + contract.Hex() + "/7#" + secret, "is not a network"},
		{"datashare://99999999999999999999/" + contract.Hex() + "/7#" + secret, "is not a network"},
		{"datashare://1337/" + bad + "/7#" + secret, "is not a contract address"},
		{"datashare://1337/0x1234/7#" + secret, "is not a contract address"},
		{"datashare://1337/0x0000000000000000000000000000000000000000/7#" + secret, "is not a contract address"},
		{"datashare://1337/" + lower + "/0#" + secret, "is not a dataset id"},
		{"datashare://1337/" + lower + "/+7#" + secret, "is not a dataset id"},
		{head, "has no secret"},
		{head + "#", "has no secret"},
		{head + "#" + secret[:42], "is damaged or cut short"},
		{head + "#" + secret + "A", "is damaged or cut short"},
		{head + "#" + secret + "=", "is damaged or cut short"},
		{head + "#" + strings.Replace(secret, secret[:1], "+", 1), "is damaged or cut short"},
		{head + "#" + secret + "#" + secret, "is damaged or cut short"},
	}
	for _, c := range cases {
		_, err := link.Parse(c.in)
		if err == nil {
			t.Errorf("Parse(%q) accepted", c.in)
			continue
		}
		if !errors.Is(err, link.ErrMalformed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want %q", c.in, err, c.want)
		}
		if strings.Contains(err.Error(), secret[:20]) {
			t.Errorf("Parse(%q) error shows the secret: %v", c.in, err)
		}
	}
	// Accepted variants: spaces around it, a lower-case contract, an upper-case scheme.
	for _, in := range []string{"  " + good.URL() + "\n", strings.Replace(good.URL(), contract.Hex(), lower, 1), "DataShare" + strings.TrimPrefix(good.URL(), "datashare")} {
		if l, err := link.Parse(in); err != nil || !l.Equal(good) {
			t.Errorf("Parse(%q) = %v", in, err)
		}
	}
}

// TestSecretHidden: formatting a link never shows its secret.
func TestSecretHidden(t *testing.T) {
	l, _ := link.New(1337, contract, 7)
	_, secret, _ := strings.Cut(l.URL(), "#")
	for _, s := range []string{l.String(), fmt.Sprint(l), fmt.Sprintf("%v %+v %#v %s", l, l, l, l), fmt.Sprintf("%+v", *l)} {
		if strings.Contains(s, secret) || strings.Contains(s, secret[:16]) {
			t.Fatalf("formatted link shows the secret: %s", s)
		}
	}
	if !strings.Contains(l.String(), l.Address().Hex()) {
		t.Fatalf("String() = %s does not name the account", l)
	}
}

// TestSealOpen: a sealed link opens with the identity it was sealed to and nothing else, and
// holds no plaintext of the link.
func TestSealOpen(t *testing.T) {
	l, _ := link.New(1337, contract, 7)
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	sealed, err := l.Seal(id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := strings.Cut(l.URL(), "#")
	if strings.Contains(string(sealed), secret) || strings.Contains(string(sealed), "datashare://") {
		t.Fatal("the sealed link holds the link in plaintext")
	}
	got, err := link.Open(sealed, id)
	if err != nil || !got.Equal(l) {
		t.Fatalf("Open: %v", err)
	}
	if _, err := link.Open(sealed, other); !errors.Is(err, seal.ErrWrongKey) {
		t.Fatalf("Open with another identity: %v", err)
	}
	tampered := append([]byte{}, sealed...)
	tampered[len(tampered)-1] ^= 1
	if _, err := link.Open(tampered, id); !errors.Is(err, link.ErrMalformed) {
		t.Fatalf("Open of a tampered link: %v", err)
	}
	if _, err := link.Open(make([]byte, 5000), id); !errors.Is(err, link.ErrMalformed) {
		t.Fatalf("Open of 5000 bytes: %v", err)
	}
	// A sealed text that is not a link.
	var buf strings.Builder
	w, _ := age.Encrypt(&buf, id.Recipient())
	io.WriteString(w, "not a link")
	w.Close()
	if _, err := link.Open([]byte(buf.String()), id); !errors.Is(err, link.ErrMalformed) {
		t.Fatalf("Open of a sealed non-link: %v", err)
	}
}

// FuzzParse: Parse never panics, what it accepts round-trips to the same link, and its errors
// never contain what follows the #.
func FuzzParse(f *testing.F) {
	l, _ := link.New(1337, contract, 7)
	f.Add(l.URL())
	f.Add("datashare://1/0x0000000000000000000000000000000000000001/1#" + strings.Repeat("A", 43))
	f.Add("datashare://")
	f.Add("#")
	r := make([]byte, 16)
	rand.Read(r)
	f.Add(string(r))
	f.Fuzz(func(t *testing.T, s string) {
		l, err := link.Parse(s)
		if err != nil {
			if !errors.Is(err, link.ErrMalformed) {
				t.Fatalf("error does not match ErrMalformed: %v", err)
			}
			if _, secret, ok := strings.Cut(strings.TrimSpace(s), "#"); ok && len(secret) >= 8 && strings.Contains(err.Error(), secret) {
				t.Fatalf("error shows the secret: %v", err)
			}
			return
		}
		again, err := link.Parse(l.URL())
		if err != nil || !again.Equal(l) || again.Address() != l.Address() {
			t.Fatalf("round trip of %q: %v", s, err)
		}
	})
}
