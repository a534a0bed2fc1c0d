package keys

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/seal"
)

const testPass = "correct horse battery staple"

func TestFileCreateReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profile")
	p := &pass{p: testPass}
	k := mustOpen(t, Options{DataDir: dir, Passphrase: p.fn, NoKeyring: true})
	if got := p.asked(); !slices.Equal(got, []string{PurposeCreate}) {
		t.Errorf("asked for %v, want [create]", got)
	}
	if want := "passphrase file " + filepath.Join(dir, "keys.age"); k.Backend() != want {
		t.Errorf("Backend() = %q, want %q", k.Backend(), want)
	}
	if k.DeviceAddress() != crypto.PubkeyToAddress(k.DeviceKey().PublicKey) {
		t.Error("DeviceAddress is not the device key's address")
	}
	if k.EncryptionKey() != seal.PublicKeyBytes(k.Identity()) {
		t.Error("EncryptionKey is not the identity's public key")
	}
	if !slices.Equal(listDir(t, dir), []string{"keys.age", "keys.json"}) {
		t.Errorf("data dir holds %v", listDir(t, dir))
	}
	for _, f := range []string{"keys.age", "keys.json"} {
		if m := fileMode(t, filepath.Join(dir, f)); m != "0600" {
			t.Errorf("%s has mode %s, want 0600", f, m)
		}
	}

	p2 := &pass{p: testPass}
	k2 := mustOpen(t, Options{DataDir: dir, Passphrase: p2.fn, NoKeyring: true})
	if got := p2.asked(); !slices.Equal(got, []string{PurposeUnlock}) {
		t.Errorf("asked for %v, want [unlock]", got)
	}
	assertSameKeys(t, k, k2)

	// A data dir made with the file keeps it, even when the keyring is
	// not turned off (here there is no session bus anyway).
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	k3 := mustOpen(t, Options{DataDir: dir, Passphrase: (&pass{p: testPass}).fn})
	assertSameKeys(t, k, k3)
}

func TestFileKeysFileIsPlainAge(t *testing.T) {
	dir := t.TempDir()
	k := mustOpen(t, fileOpts(dir, testPass))
	// The keys file is an ordinary age file: the age tool can open it.
	id, err := age.NewScryptIdentity(testPass)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(readFile(t, filepath.Join(dir, "keys.age"))), id)
	if err != nil {
		t.Fatal(err)
	}
	var b bundle
	if err := json.NewDecoder(r).Decode(&b); err != nil {
		t.Fatal(err)
	}
	if b.Format != "datashare-keys" || b.DeviceAddress != k.DeviceAddress().Hex() || b.Identity != k.Identity().String() {
		t.Errorf("keys file holds %s %s", b.Format, b.DeviceAddress)
	}
}

func TestFileWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, fileOpts(dir, testPass))
	before := map[string][]byte{}
	for _, f := range listDir(t, dir) {
		before[f] = readFile(t, filepath.Join(dir, f))
	}
	_, err := Open(context.Background(), fileOpts(dir, "not the passphrase"))
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Open with a wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	t.Logf("error: %v", err)
	after := listDir(t, dir)
	if len(after) != len(before) {
		t.Errorf("data dir now holds %v", after)
	}
	for f, b := range before {
		if !bytes.Equal(readFile(t, filepath.Join(dir, f)), b) {
			t.Errorf("%s changed", f)
		}
	}
}

func TestPassphraseRequired(t *testing.T) {
	t.Setenv(EnvPassphrase, "")
	dir := t.TempDir()
	_, err := Open(context.Background(), Options{DataDir: dir, NoKeyring: true})
	if !errors.Is(err, ErrPassphraseRequired) {
		t.Fatalf("first start without passphrase: %v, want ErrPassphraseRequired", err)
	}
	if len(listDir(t, dir)) != 0 {
		t.Errorf("data dir holds %v", listDir(t, dir))
	}
	k := mustOpen(t, fileOpts(dir, testPass))
	_, err = Open(context.Background(), Options{DataDir: dir, NoKeyring: true})
	if !errors.Is(err, ErrPassphraseRequired) {
		t.Fatalf("unlock without passphrase: %v, want ErrPassphraseRequired", err)
	}

	// The environment variable stands in for the callback.
	t.Setenv(EnvPassphrase, testPass)
	k2 := mustOpen(t, Options{DataDir: dir, NoKeyring: true})
	assertSameKeys(t, k, k2)
}

func TestPassphraseCallbackError(t *testing.T) {
	cancelled := errors.New("user cancelled")
	_, err := Open(context.Background(), Options{
		DataDir:    t.TempDir(),
		NoKeyring:  true,
		Passphrase: func(context.Context, string) (string, error) { return "", cancelled },
	})
	if !errors.Is(err, cancelled) {
		t.Fatalf("Open: %v, want the callback's error", err)
	}
}

func TestWeakPassphrase(t *testing.T) {
	for _, p := range []string{"", "   ", "short", "aaaaaaaaaaaa", "ééééééééé"} {
		dir := t.TempDir()
		_, err := Open(context.Background(), fileOpts(dir, p))
		if !errors.Is(err, ErrWeakPassphrase) {
			t.Errorf("create with %q: %v, want ErrWeakPassphrase", p, err)
			continue
		}
		if len(listDir(t, dir)) != 0 {
			t.Errorf("create with %q left %v", p, listDir(t, dir))
		}
	}
	for _, p := range []string{"eight ch", "pässwörd", testPass} {
		if err := CheckPassphrase(p); err != nil {
			t.Errorf("CheckPassphrase(%q): %v", p, err)
		}
	}
}

func TestFileSecrets(t *testing.T) {
	dir := t.TempDir()
	k := mustOpen(t, fileOpts(dir, testPass))
	v1, v2 := randomBytes(t, 32), randomBytes(t, MaxSecretSize)

	assertSecret(t, k, "wc.session", nil)
	if err := k.SetSecret("wc.session", v1); err != nil {
		t.Fatal(err)
	}
	if err := k.SetSecret("wc.sym-key_2", v2); err != nil {
		t.Fatal(err)
	}
	if err := k.SetSecret("empty", []byte{}); err != nil {
		t.Fatal(err)
	}
	assertSecret(t, k, "wc.session", v1)
	assertSecret(t, k, "empty", []byte{})

	k2 := mustOpen(t, fileOpts(dir, testPass))
	assertSecret(t, k2, "wc.session", v1)
	assertSecret(t, k2, "wc.sym-key_2", v2)

	// Overwrite, delete, delete again.
	if err := k2.SetSecret("wc.session", v2[:10]); err != nil {
		t.Fatal(err)
	}
	if err := k2.DeleteSecret("wc.sym-key_2"); err != nil {
		t.Fatal(err)
	}
	if err := k2.DeleteSecret("wc.sym-key_2"); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	k3 := mustOpen(t, fileOpts(dir, testPass))
	assertSecret(t, k3, "wc.session", v2[:10])
	assertSecret(t, k3, "wc.sym-key_2", nil)

	// Values are copies.
	got, _, _ := k3.Secret("wc.session")
	got[0] ^= 0xff
	assertSecret(t, k3, "wc.session", v2[:10])

	for _, name := range []string{"", ".hidden", "a/b", "a@b", "white space", strings.Repeat("x", 129), "ü"} {
		if err := k3.SetSecret(name, v1); err == nil {
			t.Errorf("SetSecret(%q) accepted", name)
		}
		if _, _, err := k3.Secret(name); err == nil {
			t.Errorf("Secret(%q) accepted", name)
		}
	}
	if err := k3.SetSecret("big", make([]byte, MaxSecretSize+1)); err == nil {
		t.Error("SetSecret accepted a value over MaxSecretSize")
	}
}

func TestExportImport(t *testing.T) {
	src := t.TempDir()
	k := mustOpen(t, fileOpts(src, testPass))
	v := randomBytes(t, 48)
	if err := k.SetSecret("wc.session", v); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if err := k.Export(&backup, "backup passphrase"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(backup.String(), armor.Header+"\n") {
		t.Errorf("backup is not armored: %.40q", backup.String())
	}

	dst := filepath.Join(t.TempDir(), "restored")
	p := &pass{p: "another passphrase"}
	k2, err := Import(context.Background(), Options{DataDir: dst, Passphrase: p.fn, NoKeyring: true}, bytes.NewReader(backup.Bytes()), "backup passphrase", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.asked(); !slices.Equal(got, []string{PurposeCreate}) {
		t.Errorf("asked for %v, want [create]", got)
	}
	assertSameKeys(t, k, k2)
	assertSecret(t, k2, "wc.session", v)
	k3 := mustOpen(t, fileOpts(dst, "another passphrase"))
	assertSameKeys(t, k, k3)
	assertSecret(t, k3, "wc.session", v)

	// The age tool can open a backup.
	id, _ := age.NewScryptIdentity("backup passphrase")
	if _, err := age.Decrypt(armor.NewReader(bytes.NewReader(backup.Bytes())), id); err != nil {
		t.Errorf("age can't decrypt the backup: %v", err)
	}

	// A copy of a keys file is a backup too.
	k4, err := Import(context.Background(), fileOpts(t.TempDir(), "third passphrase"), bytes.NewReader(readFile(t, filepath.Join(src, "keys.age"))), testPass, false)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, k, k4)
	assertSecret(t, k4, "wc.session", v)
}

func TestExportRejectsWeakPassphrase(t *testing.T) {
	k := mustOpen(t, fileOpts(t.TempDir(), testPass))
	for _, p := range []string{"", "1234567", "        "} {
		var buf bytes.Buffer
		err := k.Export(&buf, p)
		if !errors.Is(err, ErrWeakPassphrase) {
			t.Errorf("Export(%q): %v, want ErrWeakPassphrase", p, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Export(%q) wrote %d bytes", p, buf.Len())
		}
	}
	var buf bytes.Buffer
	err := k.Export(&buf, "short")
	if err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Errorf("Export with a short passphrase: %v, want advice", err)
	}
}

func exportOf(t *testing.T, k *Keys, p string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := k.Export(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportExisting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cur := mustOpen(t, fileOpts(dir, testPass))
	vCur := randomBytes(t, 16)
	if err := cur.SetSecret("local", vCur); err != nil {
		t.Fatal(err)
	}
	other := mustOpen(t, fileOpts(t.TempDir(), testPass))
	vOther := randomBytes(t, 16)
	if err := other.SetSecret("remote", vOther); err != nil {
		t.Fatal(err)
	}
	backup := exportOf(t, other, "backup passphrase")
	before := readFile(t, filepath.Join(dir, "keys.age"))

	// Different keys: refused, nothing changed, and the message says why.
	_, err := Import(ctx, fileOpts(dir, testPass), bytes.NewReader(backup), "backup passphrase", false)
	if !errors.Is(err, ErrExistingKeys) {
		t.Fatalf("Import over different keys: %v, want ErrExistingKeys", err)
	}
	for _, want := range []string{"lose", "encryption identity", "replace", cur.DeviceAddress().Hex()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not mention %q", err, want)
		}
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "keys.age")), before) {
		t.Error("refused Import changed the keys file")
	}
	assertSameKeys(t, cur, mustOpen(t, fileOpts(dir, testPass)))

	// Same keys: the missing secrets are added, nothing else changes.
	self := exportOf(t, cur, "backup passphrase")
	if err := cur.DeleteSecret("local"); err != nil {
		t.Fatal(err)
	}
	if err := cur.SetSecret("newer", vOther); err != nil {
		t.Fatal(err)
	}
	k, err := Import(ctx, fileOpts(dir, testPass), bytes.NewReader(self), "backup passphrase", false)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, cur, k)
	assertSecret(t, k, "local", vCur)
	assertSecret(t, k, "newer", vOther)

	// replace: overwritten, and the old passphrase isn't needed.
	p := &pass{p: "fresh passphrase"}
	k, err = Import(ctx, Options{DataDir: dir, Passphrase: p.fn, NoKeyring: true}, bytes.NewReader(backup), "backup passphrase", true)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.asked(); !slices.Equal(got, []string{PurposeCreate}) {
		t.Errorf("asked for %v, want [create]", got)
	}
	assertSameKeys(t, other, k)
	k = mustOpen(t, fileOpts(dir, "fresh passphrase"))
	assertSameKeys(t, other, k)
	assertSecret(t, k, "remote", vOther)
	assertSecret(t, k, "local", nil)

	// Without keys.json, the keys file still counts as existing keys.
	os.Remove(filepath.Join(dir, "keys.json"))
	_, err = Import(ctx, fileOpts(dir, "fresh passphrase"), bytes.NewReader(self), "backup passphrase", false)
	if !errors.Is(err, ErrExistingKeys) {
		t.Fatalf("Import over a keys file without keys.json: %v, want ErrExistingKeys", err)
	}
}

func TestImportRestoresMissingFile(t *testing.T) {
	dir := t.TempDir()
	k := mustOpen(t, fileOpts(dir, testPass))
	backup := exportOf(t, k, "backup passphrase")
	os.Remove(filepath.Join(dir, "keys.age"))
	_, err := Open(context.Background(), fileOpts(dir, testPass))
	if !errors.Is(err, ErrKeysMissing) {
		t.Fatalf("Open without keys.age: %v, want ErrKeysMissing", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keys.age")); err == nil {
		t.Fatal("Open made a new keys file")
	}
	k2, err := Import(context.Background(), fileOpts(dir, testPass), bytes.NewReader(backup), "backup passphrase", false)
	if err != nil {
		t.Fatal(err)
	}
	assertSameKeys(t, k, k2)
}

func TestImportBadBackup(t *testing.T) {
	k := mustOpen(t, fileOpts(t.TempDir(), testPass))
	backup := exportOf(t, k, "backup passphrase")
	forms := secretForms(t, k)

	x25519, _ := age.GenerateX25519Identity()
	var toKey bytes.Buffer
	w, _ := age.Encrypt(&toKey, x25519.Recipient())
	w.Write([]byte("{}"))
	w.Close()

	notKeys := func(plain string) []byte {
		var buf bytes.Buffer
		r, _ := age.NewScryptRecipient("backup passphrase")
		r.SetWorkFactor(10)
		w, _ := age.Encrypt(&buf, r)
		w.Write([]byte(plain))
		w.Close()
		return buf.Bytes()
	}
	var b bundle
	id, _ := age.NewScryptIdentity(testPass)
	r, _ := age.Decrypt(bytes.NewReader(readFile(t, filepath.Join(k.DataDir(), "keys.age"))), id)
	json.NewDecoder(r).Decode(&b)
	b.DeviceAddress = "0x0000000000000000000000000000000000000001"
	mismatched, _ := json.Marshal(b)

	for _, tc := range []struct {
		name, pass string
		data       []byte
		want       error
	}{
		{"wrong passphrase", "not the passphrase", backup, ErrWrongPassphrase},
		{"empty passphrase", "", backup, ErrPassphraseRequired},
		{"empty", "backup passphrase", nil, ErrCorrupt},
		{"text", "backup passphrase", []byte("hello, world\n"), ErrCorrupt},
		{"truncated", "backup passphrase", backup[:len(backup)/2], ErrCorrupt},
		{"armor damaged", "backup passphrase", bytes.Replace(backup, []byte("\n"), []byte("\n!"), 3), ErrCorrupt},
		{"not a passphrase file", "backup passphrase", toKey.Bytes(), ErrWrongPassphrase},
		{"not JSON", "backup passphrase", notKeys("not JSON at all"), ErrCorrupt},
		{"other JSON", "backup passphrase", notKeys(`{"format":"something else"}`), ErrCorrupt},
		{"tampered", "backup passphrase", flipLast(notKeys(`{}`)), ErrCorrupt},
		{"a secret key file", "backup passphrase", []byte(k.Identity().String() + "\n"), ErrCorrupt},
		{"address mismatch", "backup passphrase", notKeys(string(mismatched)), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := Import(context.Background(), fileOpts(dir, testPass), bytes.NewReader(tc.data), tc.pass, false)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Import: %v, want %v", err, tc.want)
			}
			t.Logf("error: %v", err)
			assertNoSecretInError(t, err, forms)
			if len(listDir(t, dir)) != 0 {
				t.Errorf("failed Import left %v", listDir(t, dir))
			}
		})
	}
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	k := mustOpen(t, fileOpts(dir, testPass))
	forms := secretForms(t, k)
	keysAge := readFile(t, filepath.Join(dir, "keys.age"))
	keysJSON := readFile(t, filepath.Join(dir, "keys.json"))

	for _, tc := range []struct {
		name      string
		file      string
		data      []byte
		want      error
		mentioned string
	}{
		{"keys.age truncated", "keys.age", keysAge[:len(keysAge)-20], ErrCorrupt, "keys.age"},
		{"keys.age empty", "keys.age", nil, ErrCorrupt, "keys.age"},
		{"keys.age garbage", "keys.age", []byte("garbage"), ErrCorrupt, "keys.age"},
		{"keys.age payload flipped", "keys.age", flipLast(keysAge), ErrCorrupt, "keys.age"},
		{"keys.json garbage", "keys.json", []byte("{not json"), ErrCorrupt, "keys.json"},
		{"keys.json unknown backend", "keys.json", bytes.Replace(keysJSON, []byte(`"file"`), []byte(`"cloud"`), 1), ErrCorrupt, "keys.json"},
		{"keys.json other address", "keys.json", bytes.Replace(keysJSON, []byte(k.DeviceAddress().Hex()), []byte("0x0000000000000000000000000000000000000001"), 1), ErrCorrupt, "keys.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				os.WriteFile(filepath.Join(dir, "keys.age"), keysAge, 0o600)
				os.WriteFile(filepath.Join(dir, "keys.json"), keysJSON, 0o600)
			})
			_, err := Open(context.Background(), fileOpts(dir, testPass))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open: %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mentioned) {
				t.Errorf("error %q does not name %s", err, tc.mentioned)
			}
			t.Logf("error: %v", err)
			assertNoSecretInError(t, err, forms)
			if !bytes.Equal(readFile(t, path), tc.data) {
				t.Error("Open rewrote the damaged file")
			}
		})
	}
	assertSameKeys(t, k, mustOpen(t, fileOpts(dir, testPass)))
}

func flipLast(b []byte) []byte {
	c := bytes.Clone(b)
	c[len(c)-1] ^= 1
	return c
}

func TestNoSecretsOnDiskFile(t *testing.T) {
	dir := t.TempDir()
	k := mustOpen(t, fileOpts(dir, testPass))
	v1, v2 := randomBytes(t, 32), randomBytes(t, 200)
	if err := k.SetSecret("wc.session", v1); err != nil {
		t.Fatal(err)
	}
	if err := k.SetSecret("wc.other", v2); err != nil {
		t.Fatal(err)
	}
	backupDir := filepath.Join(dir, "backups")
	os.Mkdir(backupDir, 0o700)
	if err := os.WriteFile(filepath.Join(backupDir, "backup.age"), exportOf(t, k, "backup passphrase"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A restored copy, in a data dir of its own under the same tree.
	if _, err := Import(context.Background(), fileOpts(filepath.Join(dir, "restored"), testPass),
		bytes.NewReader(readFile(t, filepath.Join(backupDir, "backup.age"))), "backup passphrase", false); err != nil {
		t.Fatal(err)
	}
	forms := secretForms(t, k, v1, v2)
	forms["passphrase"] = []byte(testPass)
	n := assertNoSecretsUnder(t, dir, forms)
	t.Logf("searched %d files for %d secret forms", n, len(forms))

	for _, s := range []string{k.String(), fmt.Sprintf("%v", k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k), fmt.Sprint(k)} {
		for what, f := range forms {
			if strings.Contains(s, string(f)) {
				t.Errorf("formatted Keys %q shows the %s", s, what)
			}
		}
	}
}

func TestReadStatus(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadStatus(dir); !errors.Is(err, ErrNoKeys) {
		t.Errorf("ReadStatus of an empty dir: %v, want ErrNoKeys", err)
	}
	if _, err := ReadStatus(filepath.Join(dir, "none")); !errors.Is(err, ErrNoKeys) {
		t.Errorf("ReadStatus of a missing dir: %v, want ErrNoKeys", err)
	}
	k := mustOpen(t, fileOpts(dir, testPass))
	st, err := ReadStatus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Backend != k.Backend() || st.DeviceAddress != k.DeviceAddress() || st.EncryptionKey != k.EncryptionKey() || st.Recipient != k.Identity().Recipient().String() || st.Created.IsZero() {
		t.Errorf("ReadStatus = %+v, keys %v", st, k)
	}
}

func TestConcurrentSecrets(t *testing.T) {
	k := mustOpen(t, fileOpts(t.TempDir(), testPass))
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			name := fmt.Sprintf("s%d", i)
			if err := k.SetSecret(name, []byte(name)); err != nil {
				errs <- err
				return
			}
			_, _, err := k.Secret(name)
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	k2 := mustOpen(t, fileOpts(k.DataDir(), testPass))
	for i := range 8 {
		name := fmt.Sprintf("s%d", i)
		assertSecret(t, k2, name, []byte(name))
	}
}
