package keys

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zalando/go-keyring"
)

// useMockKeyring replaces the system keyring with go-keyring's in-memory
// mock (for the rest of the process: only tests in this file use the
// keyring in this process) and skips the session bus checks.
func useMockKeyring(t *testing.T, err error) {
	if err != nil {
		keyring.MockInitWithError(err)
	} else {
		keyring.MockInit()
	}
	probe, guard := probeKeyring, keyringGuard
	probeKeyring = func(context.Context) error { return nil }
	keyringGuard = func() error { return nil }
	t.Cleanup(func() { probeKeyring, keyringGuard = probe, guard })
}

func noPassphrase(t *testing.T) func(context.Context, string) (string, error) {
	return func(_ context.Context, purpose string) (string, error) {
		t.Errorf("asked for a passphrase (%s) although the keyring works", purpose)
		return "", errors.New("no passphrase in this test")
	}
}

func TestMockKeyring(t *testing.T) {
	useMockKeyring(t, nil)
	ctx := context.Background()
	dir := t.TempDir()
	k := mustOpen(t, Options{DataDir: dir, Passphrase: noPassphrase(t)})
	if k.Backend() != keyringDescription {
		t.Fatalf("Backend() = %q", k.Backend())
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"keys.json"}) {
		t.Errorf("data dir holds %v", got)
	}
	id := dataDirID(dir)
	if v, err := keyring.Get("DataShare", "device-key@"+id); err != nil || v != deviceKeyHex(k.DeviceKey()) {
		t.Errorf("keyring item device-key@%s: %v", id, err)
	}
	if v, err := keyring.Get("DataShare", "identity@"+id); err != nil || v != k.Identity().String() {
		t.Errorf("keyring item identity@%s: %v", id, err)
	}
	assertSameKeys(t, k, mustOpen(t, Options{DataDir: dir, Passphrase: noPassphrase(t)}))

	v := randomBytes(t, 32)
	if err := k.SetSecret("wc.session", v); err != nil {
		t.Fatal(err)
	}
	if err := k.SetSecret("wc.other", v[:5]); err != nil {
		t.Fatal(err)
	}
	if err := k.DeleteSecret("wc.other"); err != nil {
		t.Fatal(err)
	}
	k2 := mustOpen(t, Options{DataDir: dir})
	assertSecret(t, k2, "wc.session", v)
	assertSecret(t, k2, "wc.other", nil)
	if idx, _ := keyring.Get("DataShare", "index@"+id); idx != `["wc.session"]` {
		t.Errorf("index item = %s", idx)
	}
	forms := secretForms(t, k, v)
	assertNoSecretsUnder(t, dir, forms)

	// Another data dir has other keys.
	other := mustOpen(t, Options{DataDir: t.TempDir()})
	if other.DeviceAddress() == k.DeviceAddress() {
		t.Error("two data dirs share a device key")
	}
	assertSecret(t, other, "wc.session", nil)

	// Backup to a keys file and back to the keyring.
	var backup bytes.Buffer
	if err := k.Export(&backup, "backup passphrase"); err != nil {
		t.Fatal(err)
	}
	fk, err := Import(ctx, fileOpts(t.TempDir(), testPass), bytes.NewReader(backup.Bytes()), "backup passphrase", false)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, k, fk)
	assertSecret(t, fk, "wc.session", v)

	// Items gone: a clear error, and no new keys.
	keyring.Delete("DataShare", "identity@"+id)
	before := readFile(t, filepath.Join(dir, "keys.json"))
	_, err = Open(ctx, Options{DataDir: dir, Passphrase: noPassphrase(t)})
	if !errors.Is(err, ErrKeysMissing) {
		t.Fatalf("Open with the identity gone: %v, want ErrKeysMissing", err)
	}
	t.Logf("error: %v", err)
	if !bytes.Equal(readFile(t, filepath.Join(dir, "keys.json")), before) {
		t.Error("keys.json changed")
	}
	if _, err := keyring.Get("DataShare", "identity@"+id); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("a new identity was stored: %v", err)
	}
	// ... until the backup is imported.
	rk, err := Import(ctx, Options{DataDir: dir}, bytes.NewReader(backup.Bytes()), "backup passphrase", false)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, k, rk)
	assertSameKeys(t, k, mustOpen(t, Options{DataDir: dir}))

	// Different keys are not overwritten without replace.
	var otherBackup bytes.Buffer
	if err := other.Export(&otherBackup, "backup passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, Options{DataDir: dir}, bytes.NewReader(otherBackup.Bytes()), "backup passphrase", false); !errors.Is(err, ErrExistingKeys) {
		t.Fatalf("Import of other keys: %v, want ErrExistingKeys", err)
	}
	assertSameKeys(t, k, mustOpen(t, Options{DataDir: dir}))
	rk, err = Import(ctx, Options{DataDir: dir}, bytes.NewReader(otherBackup.Bytes()), "backup passphrase", true)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, other, rk)
	assertSecret(t, rk, "wc.session", nil) // the replaced profile's secrets are gone
	assertSameKeys(t, other, mustOpen(t, Options{DataDir: dir}))

	// keys.json lost: the keyring items are found again, not replaced.
	k3 := mustOpen(t, Options{DataDir: t.TempDir()})
	if err := k3.SetSecret("kept", v); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(k3.DataDir(), "keys.json")); err != nil {
		t.Fatal(err)
	}
	k4 := mustOpen(t, Options{DataDir: k3.DataDir()})
	assertSameKeys(t, k3, k4)
	assertSecret(t, k4, "kept", v)

	// NoKeyring on a keyring data dir is an error, not a new identity.
	if _, err := Open(ctx, fileOpts(dir, testPass)); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("Open with NoKeyring of a keyring data dir: %v, want ErrKeyringUnavailable", err)
	}
}

func TestMockKeyringFailsOnFirstStart(t *testing.T) {
	useMockKeyring(t, errors.New("the keyring is locked"))
	dir := t.TempDir()
	p := &pass{p: testPass}
	k := mustOpen(t, Options{DataDir: dir, Passphrase: p.fn})
	if want := "passphrase file " + filepath.Join(dir, "keys.age"); k.Backend() != want {
		t.Errorf("Backend() = %q, want %q", k.Backend(), want)
	}
	if got := p.asked(); !slices.Equal(got, []string{PurposeCreate}) {
		t.Errorf("asked for %v, want [create]", got)
	}
	// Without a passphrase, the error says why the keyring wasn't used.
	_, err := Open(context.Background(), Options{DataDir: t.TempDir()})
	if !errors.Is(err, ErrPassphraseRequired) || !bytes.Contains([]byte(err.Error()), []byte("the keyring is locked")) {
		t.Errorf("Open without passphrase: %v", err)
	}
}

func TestMockKeyringUnavailableLater(t *testing.T) {
	useMockKeyring(t, nil)
	dir := t.TempDir()
	k := mustOpen(t, Options{DataDir: dir})
	var backup bytes.Buffer
	if err := k.Export(&backup, "backup passphrase"); err != nil {
		t.Fatal(err)
	}
	probeKeyring = func(context.Context) error { return errors.New("no D-Bus session bus") }
	_, err := Open(context.Background(), Options{DataDir: dir, Passphrase: noPassphrase(t)})
	if !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Open without the keyring: %v, want ErrKeyringUnavailable", err)
	}
	t.Logf("error: %v", err)
	if got := listDir(t, dir); !slices.Equal(got, []string{"keys.json"}) {
		t.Errorf("data dir holds %v", got)
	}

	// Restoring the backup with replace and NoKeyring moves it to a file.
	fk, err := Import(context.Background(), fileOpts(dir, testPass), bytes.NewReader(backup.Bytes()), "backup passphrase", true)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, k, fk)
	assertSameKeys(t, k, mustOpen(t, fileOpts(dir, testPass)))
}
