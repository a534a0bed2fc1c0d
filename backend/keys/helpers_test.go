package keys

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func TestMain(m *testing.M) {
	// age's default scrypt cost takes about a second per file; the tests
	// write many. The format is the same.
	scryptWorkFactor = 10
	os.Unsetenv(EnvPassphrase)
	os.Exit(m.Run())
}

// pass is an Options.Passphrase that answers p and records the purposes it
// was asked for.
type pass struct {
	p    string
	mu   sync.Mutex
	asks []string
}

func (a *pass) fn(_ context.Context, purpose string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asks = append(a.asks, purpose)
	return a.p, nil
}

func (a *pass) asked() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.asks...)
}

func fileOpts(dir, p string) Options {
	return Options{DataDir: dir, Passphrase: (&pass{p: p}).fn, NoKeyring: true}
}

func mustOpen(t *testing.T, opts Options) *Keys {
	t.Helper()
	k, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", opts.DataDir, err)
	}
	return k
}

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func assertSameKeys(t *testing.T, want, got *Keys) {
	t.Helper()
	if !bytes.Equal(crypto.FromECDSA(want.DeviceKey()), crypto.FromECDSA(got.DeviceKey())) {
		t.Errorf("device key differs: %s, want %s", got.DeviceAddress(), want.DeviceAddress())
	}
	if want.DeviceAddress() != got.DeviceAddress() {
		t.Errorf("device address %s, want %s", got.DeviceAddress(), want.DeviceAddress())
	}
	if want.Identity().String() != got.Identity().String() {
		t.Errorf("identity differs: %s, want %s", got.Identity().Recipient(), want.Identity().Recipient())
	}
	if want.EncryptionKey() != got.EncryptionKey() {
		t.Errorf("encryption key %x, want %x", got.EncryptionKey(), want.EncryptionKey())
	}
}

func assertSecret(t *testing.T, k *Keys, name string, want []byte) {
	t.Helper()
	got, ok, err := k.Secret(name)
	switch {
	case err != nil:
		t.Errorf("Secret(%s): %v", name, err)
	case want == nil && ok:
		t.Errorf("Secret(%s) exists, want none", name)
	case want != nil && !ok:
		t.Errorf("Secret(%s) does not exist", name)
	case !bytes.Equal(got, want):
		t.Errorf("Secret(%s) = %x, want %x", name, got, want)
	}
}

// bech32Data decodes the data part of a bech32 string, without checking
// the checksum.
func bech32Data(t *testing.T, s string) []byte {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	s = strings.ToLower(s)
	data := s[strings.LastIndexByte(s, '1')+1 : len(s)-6]
	var out []byte
	var acc, bits uint
	for _, c := range []byte(data) {
		v := strings.IndexByte(charset, c)
		if v < 0 {
			t.Fatalf("not bech32")
		}
		acc = acc<<5 | uint(v)
		bits += 5
		for bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
		acc &= 1<<bits - 1
	}
	return out
}

// secretForms returns every form in which k's secrets and the given secret
// values could leak into a file.
func secretForms(t *testing.T, k *Keys, values ...[]byte) map[string][]byte {
	t.Helper()
	d := crypto.FromECDSA(k.DeviceKey())
	id := k.Identity().String()
	scalar := bech32Data(t, id)
	// Make sure scalar really is the identity's secret: its public key
	// must be the registered one.
	priv, err := ecdh.X25519().NewPrivateKey(scalar)
	if err != nil {
		t.Fatal(err)
	}
	if ek := k.EncryptionKey(); !bytes.Equal(priv.PublicKey().Bytes(), ek[:]) {
		t.Fatal("bech32 payload of the identity is not its scalar")
	}
	forms := map[string][]byte{
		"device key (raw D)":            d,
		"device key (hex)":              []byte(hex.EncodeToString(d)),
		"device key (HEX)":              []byte(strings.ToUpper(hex.EncodeToString(d))),
		"device key (base64)":           []byte(base64.StdEncoding.EncodeToString(d)),
		"identity (AGE-SECRET-KEY)":     []byte(id),
		"identity (lower case)":         []byte(strings.ToLower(id)),
		"identity (bech32 payload)":     []byte(id[len("AGE-SECRET-KEY-1") : len(id)-6]),
		"identity scalar (raw)":         scalar,
		"identity scalar (hex)":         []byte(hex.EncodeToString(scalar)),
		"identity scalar (base64)":      []byte(base64.StdEncoding.EncodeToString(scalar)),
		"identity (bech32, lower case)": []byte(strings.ToLower(id[len("AGE-SECRET-KEY-1") : len(id)-6])),
	}
	for i, v := range values {
		forms["secret value "+strconv.Itoa(i)+" (raw)"] = v
		forms["secret value "+strconv.Itoa(i)+" (hex)"] = []byte(hex.EncodeToString(v))
		forms["secret value "+strconv.Itoa(i)+" (base64)"] = []byte(base64.StdEncoding.EncodeToString(v))
	}
	return forms
}

// assertNoSecretsUnder fails if any file under dir contains any of forms.
// It returns the number of files searched.
func assertNoSecretsUnder(t *testing.T, dir string, forms map[string][]byte) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for what, f := range forms {
			if bytes.Contains(data, f) {
				t.Errorf("%s contains the %s", path, what)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no files under %s", dir)
	}
	return n
}

// assertNoSecretInError fails if msg contains one of forms.
func assertNoSecretInError(t *testing.T, err error, forms map[string][]byte) {
	t.Helper()
	if err == nil {
		return
	}
	for what, f := range forms {
		if len(f) >= 8 && strings.Contains(err.Error(), string(f)) {
			t.Errorf("error %q contains the %s", err, what)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func fileMode(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%#o", fi.Mode().Perm())
}
