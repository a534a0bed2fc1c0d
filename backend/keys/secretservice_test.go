//go:build linux

package keys

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datashare/datashare/internal/testreal"
)

// sessionEnv marks a test process that runs inside a private D-Bus session
// started by runInPrivateSession; its value is a token unique to that run.
const sessionEnv = "DATASHARE_KEYS_TEST_SESSION"

// sessionBusConfig is a session bus that can start no service: on it there
// is no Secret Service, running or activatable.
const sessionBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// What runs on the private session bus.
type sessionKind int

const (
	unlockedKeyring sessionKind = iota // gnome-keyring with an unlocked login keyring
	lockedKeyring                      // gnome-keyring without a login keyring, which can't be made without a prompt
	noSecretService                    // nothing, and nothing to activate
)

// runInPrivateSession runs the test named test again, in a child process
// inside a private D-Bus session (dbus-run-session) of the given kind. The
// user's own session and keyring are never touched: HOME and the XDG dirs of
// the child are temporary. It fails if the session leaves any process behind.
func runInPrivateSession(t *testing.T, test string, kind sessionKind) {
	need := []string{"dbus-run-session"}
	if kind != noSecretService {
		need = append(need, "gnome-keyring-daemon")
	}
	for _, bin := range need {
		testreal.NeedCommand(t, bin, "a real Secret Service needs it: Debian packages dbus, gnome-keyring")
	}
	token := testToken(t)
	tmp := t.TempDir()
	home, data, runtime := filepath.Join(tmp, "home"), filepath.Join(tmp, "data"), filepath.Join(tmp, "run")
	for _, d := range []string{home, data, runtime} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	var args []string
	script := `exec "$0" "$@"`
	switch kind {
	case unlockedKeyring:
		// As go-keyring's CI: a keyring daemon whose login keyring is
		// created and unlocked with the password "test".
		script = `printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0" "$@"`
	case lockedKeyring:
		script = `gnome-keyring-daemon --start --components=secrets >/dev/null; exec "$0" "$@"`
	case noSecretService:
		cfg := filepath.Join(tmp, "session.conf")
		if err := os.WriteFile(cfg, []byte(sessionBusConfig), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--config-file="+cfg)
	}
	args = append(args, "--", "sh", "-c", script, os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1", "-test.timeout=3m")

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "dbus-run-session", args...)
	for _, e := range os.Environ() {
		name, _, _ := strings.Cut(e, "=")
		switch name {
		case "DBUS_SESSION_BUS_ADDRESS", "HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "DISPLAY", "WAYLAND_DISPLAY", EnvPassphrase, sessionEnv:
			continue
		}
		cmd.Env = append(cmd.Env, e)
	}
	cmd.Env = append(cmd.Env, sessionEnv+"="+token, "HOME="+home, "XDG_DATA_HOME="+data, "XDG_RUNTIME_DIR="+runtime,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("child test in a private session (%v):\n%s", time.Since(start).Round(time.Millisecond), indent(out))

	// Nothing of the session may outlive it.
	var left []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if left = processesWithEnv(t, sessionEnv+"="+token); len(left) == 0 {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("processes of the private session left behind: %v", left)
	}

	switch {
	case err != nil:
		t.Fatalf("child test failed: %v", err)
	case bytes.Contains(out, []byte("--- SKIP: "+test)):
		t.Skip("skipped in the private session")
	case !bytes.Contains(out, []byte("--- PASS: "+test)):
		t.Fatal("the child process did not run the test")
	}
}

func indent(b []byte) string {
	return "\t" + strings.ReplaceAll(strings.TrimRight(string(b), "\n"), "\n", "\n\t")
}

// inPrivateSession reports whether this process is the child started by
// runInPrivateSession.
func inPrivateSession() bool { return os.Getenv(sessionEnv) != "" }

// secretTool runs secret-tool with args; ok is false if it isn't installed (and the test is
// then skipped, or fails under CI).
func secretTool(t *testing.T, args ...string) (out string, ok bool) {
	t.Helper()
	if _, err := exec.LookPath("secret-tool"); err != nil {
		testreal.Need(t, "secret-tool (Debian package libsecret-tools)", err)
		return "", false
	}
	b, err := exec.Command("secret-tool", args...).Output()
	if err != nil {
		t.Fatalf("secret-tool %s: %v", strings.Join(args, " "), err)
	}
	return string(b), true
}

// TestSecretService runs against a real Secret Service (gnome-keyring) in a
// private D-Bus session.
func TestSecretService(t *testing.T) {
	if !inPrivateSession() {
		runInPrivateSession(t, "TestSecretService", unlockedKeyring)
		return
	}
	// The parent's check for processes left behind can see this session's.
	if procs := processesWithEnv(t, sessionEnv+"="+os.Getenv(sessionEnv)); !slices.ContainsFunc(procs, func(p string) bool { return strings.Contains(p, "(dbus-daemon)") }) {
		t.Errorf("the session's dbus-daemon is not among the processes found: %v", procs)
	}
	ctx := context.Background()
	base := t.TempDir()
	dirA, dirB := filepath.Join(base, "a"), filepath.Join(base, "b")
	haveSecretTool := true

	start := time.Now()
	a := mustOpen(t, Options{DataDir: dirA, Passphrase: noPassphrase(t)})
	t.Logf("created in the keyring in %v", time.Since(start))
	if a.Backend() != "system keyring (Secret Service)" {
		t.Fatalf("Backend() = %q", a.Backend())
	}
	if got := listDir(t, dirA); !slices.Equal(got, []string{"keys.json"}) {
		t.Errorf("data dir holds %v", got)
	}
	if st, err := ReadStatus(dirA); err != nil || st.DeviceAddress != a.DeviceAddress() || st.Backend != a.Backend() {
		t.Errorf("ReadStatus = %+v, %v", st, err)
	}
	idA := dataDirID(a.DataDir())

	t.Run("reopen", func(t *testing.T) {
		start := time.Now()
		assertSameKeys(t, a, mustOpen(t, Options{DataDir: dirA, Passphrase: noPassphrase(t)}))
		t.Logf("opened in %v", time.Since(start))
	})

	v := randomBytes(t, 32)
	t.Run("secrets", func(t *testing.T) {
		if err := a.SetSecret("wc.session", v); err != nil {
			t.Fatal(err)
		}
		if err := a.SetSecret("wc.gone", v); err != nil {
			t.Fatal(err)
		}
		if err := a.DeleteSecret("wc.gone"); err != nil {
			t.Fatal(err)
		}
		a2 := mustOpen(t, Options{DataDir: dirA})
		assertSecret(t, a2, "wc.session", v)
		assertSecret(t, a2, "wc.gone", nil)
	})

	t.Run("secret-tool", func(t *testing.T) {
		for item, want := range map[string]string{
			"device-key":        deviceKeyHex(a.DeviceKey()),
			"identity":          a.Identity().String(),
			"secret.wc.session": base64.StdEncoding.EncodeToString(v),
			"index":             `["wc.session"]`,
		} {
			got, ok := secretTool(t, "lookup", "service", "DataShare", "username", item+"@"+idA)
			if !ok {
				haveSecretTool = false
				t.Skip("secret-tool not installed (Debian package libsecret-tools)")
			}
			if got != want {
				t.Errorf("secret-tool lookup of %s@%s gave %d bytes, not the value", item, idA, len(got))
			}
		}
	})

	var b *Keys
	t.Run("two data dirs", func(t *testing.T) {
		b = mustOpen(t, Options{DataDir: dirB, Passphrase: noPassphrase(t)})
		if b.DeviceAddress() == a.DeviceAddress() || b.EncryptionKey() == a.EncryptionKey() {
			t.Fatal("two data dirs got the same keys")
		}
		if dataDirID(b.DataDir()) == idA {
			t.Fatal("two data dirs got the same keyring id")
		}
		assertSecret(t, b, "wc.session", nil)
		assertSameKeys(t, a, mustOpen(t, Options{DataDir: dirA}))
		assertSameKeys(t, b, mustOpen(t, Options{DataDir: dirB}))
	})

	var backup bytes.Buffer
	t.Run("export and import", func(t *testing.T) {
		if err := a.Export(&backup, "backup passphrase"); err != nil {
			t.Fatal(err)
		}
		// Into another keyring profile ...
		c, err := Import(ctx, Options{DataDir: filepath.Join(base, "c"), Passphrase: noPassphrase(t)}, bytes.NewReader(backup.Bytes()), "backup passphrase", false)
		if err != nil {
			t.Fatal(err)
		}
		if c.Backend() != a.Backend() {
			t.Errorf("imported into %s", c.Backend())
		}
		assertSameKeys(t, a, c)
		assertSecret(t, c, "wc.session", v)
		// ... and into a passphrase file.
		d, err := Import(ctx, fileOpts(filepath.Join(base, "d"), testPass), bytes.NewReader(backup.Bytes()), "backup passphrase", false)
		if err != nil {
			t.Fatal(err)
		}
		assertSameKeys(t, a, d)
		assertSecret(t, d, "wc.session", v)
		// Different keys are refused.
		if _, err := Import(ctx, Options{DataDir: dirB}, bytes.NewReader(backup.Bytes()), "backup passphrase", false); !errors.Is(err, ErrExistingKeys) {
			t.Errorf("Import over other keys: %v, want ErrExistingKeys", err)
		}
		assertSameKeys(t, b, mustOpen(t, Options{DataDir: dirB}))
	})

	t.Run("no secrets on disk", func(t *testing.T) {
		n := 0
		for _, k := range []*Keys{a, b} {
			n += assertNoSecretsUnder(t, base, secretForms(t, k, v))
		}
		t.Logf("searched %d files", n)
	})

	t.Run("items missing", func(t *testing.T) {
		if haveSecretTool {
			secretTool(t, "clear", "service", "DataShare", "username", "identity@"+idA)
		} else if err := (ring{idA}).del(ctx, itemIdentity); err != nil {
			t.Fatal(err)
		}
		before := readFile(t, filepath.Join(dirA, "keys.json"))
		_, err := Open(ctx, Options{DataDir: dirA, Passphrase: noPassphrase(t)})
		if !errors.Is(err, ErrKeysMissing) {
			t.Fatalf("Open with the identity item gone: %v, want ErrKeysMissing", err)
		}
		t.Logf("error: %v", err)
		if !bytes.Equal(readFile(t, filepath.Join(dirA, "keys.json")), before) {
			t.Error("keys.json changed")
		}
		if _, ok, err := (ring{idA}).get(ctx, itemIdentity); ok || err != nil {
			t.Errorf("identity item after the failed Open: present %v, %v", ok, err)
		}
		// The backup brings them back.
		k, err := Import(ctx, Options{DataDir: dirA}, bytes.NewReader(backup.Bytes()), "backup passphrase", false)
		if err != nil {
			t.Fatal(err)
		}
		assertSameKeys(t, a, k)
		assertSameKeys(t, a, mustOpen(t, Options{DataDir: dirA}))
	})
}

// TestSessionBusWithoutSecretService: a session bus that has no Secret
// Service makes a first start use the passphrase file, quickly.
func TestSessionBusWithoutSecretService(t *testing.T) {
	if !inPrivateSession() {
		runInPrivateSession(t, "TestSessionBusWithoutSecretService", noSecretService)
		return
	}
	if err := probeSecretService(context.Background()); err == nil {
		t.Fatal("probe found a Secret Service on a bus without one")
	} else {
		t.Logf("probe: %v", err)
	}
	dir := t.TempDir()
	start := time.Now()
	k := mustOpen(t, Options{DataDir: dir, Passphrase: (&pass{p: testPass}).fn})
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("fallback took %v", elapsed)
	} else {
		t.Logf("fallback in %v", elapsed)
	}
	if !strings.HasPrefix(k.Backend(), "passphrase file ") {
		t.Errorf("Backend() = %q", k.Backend())
	}
}

// TestSecretServiceLocked: a Secret Service that fails (here: no login
// keyring, and no one to answer the prompt that would create one) makes a
// first start use the passphrase file, quickly; without a passphrase, the
// error tells why the keyring was not used.
func TestSecretServiceLocked(t *testing.T) {
	if !inPrivateSession() {
		runInPrivateSession(t, "TestSecretServiceLocked", lockedKeyring)
		return
	}
	_, err := Open(context.Background(), Options{DataDir: t.TempDir()})
	if !errors.Is(err, ErrPassphraseRequired) || !strings.Contains(err.Error(), "system keyring") {
		t.Errorf("Open without passphrase: %v, want ErrPassphraseRequired with the keyring's failure", err)
	}
	t.Logf("error: %v", err)
	dir := t.TempDir()
	start := time.Now()
	k := mustOpen(t, Options{DataDir: dir, Passphrase: (&pass{p: testPass}).fn})
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("fallback took %v", elapsed)
	} else {
		t.Logf("fallback in %v", elapsed)
	}
	if !strings.HasPrefix(k.Backend(), "passphrase file ") {
		t.Errorf("Backend() = %q", k.Backend())
	}
	if st, err := ReadStatus(dir); err != nil || st.Backend != k.Backend() {
		t.Errorf("ReadStatus = %+v, %v", st, err)
	}
}
