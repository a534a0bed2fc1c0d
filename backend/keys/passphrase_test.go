//go:build linux

package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/datashare/datashare/internal/testreal"
)

// openPTY returns a new pseudo-terminal: the side a user types into, and
// the terminal a program reads.
func openPTY(t *testing.T) (typing, tty *os.File) {
	// Non-blocking, so that reads of m can time out.
	fd, err := syscall.Open("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	testreal.Need(t, "pseudo-terminals (/dev/ptmx)", err)
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until out has count occurrences of s.
func waitFor(t *testing.T, out *syncBuffer, s string, count int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Count(out.String(), s) >= count {
			return
		}
	}
	t.Fatalf("no %d× %q in %q", count, s, out.String())
}

func echoOn(t *testing.T, tty *os.File) bool {
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

func TestPromptCreate(t *testing.T) {
	t.Setenv(EnvPassphrase, "")
	typing, tty := openPTY(t)
	out := &syncBuffer{}
	ask := PassphraseFromEnvOrPrompt(tty, out)

	type result struct {
		p   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := ask(context.Background(), PurposeCreate)
		done <- result{p, err}
	}()
	// Too short; then two that differ; then the same twice.
	for i, line := range []string{"short", "first choice", "second choice", "final choice", "final choice"} {
		prompt := "New passphrase for this profile's keys file: "
		n := map[int]int{0: 1, 1: 2, 2: 1, 3: 3, 4: 2}[i]
		if i == 2 || i == 4 {
			prompt = "Repeat the passphrase for this profile's keys file: "
		}
		waitFor(t, out, prompt, n)
		// Type only once echo is off, as a person would see it.
		for deadline := time.Now().Add(5 * time.Second); echoOn(t, tty); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the terminal still echoes after the prompt")
			}
		}
		typing.WriteString(line + "\n")
	}
	r := <-done
	if r.err != nil || r.p != "final choice" {
		t.Fatalf("got %q, %v", r.p, r.err)
	}
	for _, want := range []string{"too short", "differ"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q does not say %q", out, want)
		}
	}
	if !echoOn(t, tty) {
		t.Error("echo not restored")
	}
	// Nothing typed was echoed back.
	typing.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	echoed := make([]byte, 4096)
	n, _ := typing.Read(echoed)
	if bytes.Contains(echoed[:n], []byte("choice")) {
		t.Errorf("the terminal showed %q", echoed[:n])
	}
}

func TestPromptUnlockAndCancel(t *testing.T) {
	t.Setenv(EnvPassphrase, "")
	typing, tty := openPTY(t)
	out := &syncBuffer{}
	ask := PassphraseFromEnvOrPrompt(tty, out)

	typing.WriteString("the passphrase\n")
	p, err := ask(context.Background(), PurposeUnlock)
	if err != nil || p != "the passphrase" {
		t.Fatalf("got %q, %v", p, err)
	}
	if strings.Count(out.String(), "Passphrase") != 1 {
		t.Errorf("prompts: %q", out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ask(ctx, PurposeUnlock)
		done <- err
	}()
	waitFor(t, out, "Passphrase", 2)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled prompt: %v", err)
	}
	if !echoOn(t, tty) {
		t.Error("echo not restored after cancel")
	}
	typing.WriteString("\n") // end the abandoned read
}

func TestPromptEnvAndNoTerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	ask := PassphraseFromEnvOrPrompt(f, &out)

	t.Setenv(EnvPassphrase, "from the environment")
	for _, purpose := range []string{PurposeCreate, PurposeUnlock} {
		if p, err := ask(context.Background(), purpose); err != nil || p != "from the environment" {
			t.Errorf("%s: %q, %v", purpose, p, err)
		}
	}
	t.Setenv(EnvPassphrase, "")
	if _, err := ask(context.Background(), PurposeUnlock); !errors.Is(err, ErrPassphraseRequired) || !strings.Contains(err.Error(), EnvPassphrase) {
		t.Errorf("no terminal: %v, want ErrPassphraseRequired naming %s", err, EnvPassphrase)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
	// Used by Open.
	dir := t.TempDir()
	t.Setenv(EnvPassphrase, testPass)
	k := mustOpen(t, Options{DataDir: dir, NoKeyring: true, Passphrase: ask})
	t.Setenv(EnvPassphrase, "wrong passphrase")
	if _, err := Open(context.Background(), Options{DataDir: dir, NoKeyring: true, Passphrase: ask}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Open with a wrong passphrase in the environment: %v", err)
	}
	t.Setenv(EnvPassphrase, testPass)
	assertSameKeys(t, k, mustOpen(t, Options{DataDir: dir, NoKeyring: true, Passphrase: ask}))
}

// TestBackupPassphrase: a backup's passphrase never comes from DATASHARE_PASSPHRASE, and the
// prompt names the backup file.
func TestBackupPassphrase(t *testing.T) {
	t.Setenv(EnvPassphrase, testPass)
	t.Setenv(EnvBackupPassphrase, "")
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var quiet bytes.Buffer
	for _, purpose := range []string{PurposeCreate, PurposeUnlock} {
		p, err := BackupPassphrase(context.Background(), null, &quiet, "keys.backup", "", purpose)
		if !errors.Is(err, ErrPassphraseRequired) || !strings.Contains(err.Error(), EnvBackupPassphrase) || !strings.Contains(err.Error(), "backup file keys.backup") {
			t.Errorf("%s without a terminal: %q, %v; want ErrPassphraseRequired naming the backup file and %s", purpose, p, err, EnvBackupPassphrase)
		}
	}

	typing, tty := openPTY(t)
	out := &syncBuffer{}
	typing.WriteString("the backup passphrase\n")
	p, err := BackupPassphrase(context.Background(), tty, out, "keys.backup", "", PurposeUnlock)
	if err != nil || p != "the backup passphrase" {
		t.Fatalf("got %q, %v", p, err)
	}
	if out.String() != "Passphrase of the backup file keys.backup: \n" {
		t.Errorf("prompt %q", out)
	}

	t.Setenv(EnvBackupPassphrase, "short")
	if _, err := BackupPassphrase(context.Background(), null, &quiet, "-", "", PurposeCreate); !errors.Is(err, ErrWeakPassphrase) || !strings.Contains(err.Error(), "standard output") {
		t.Errorf("weak backup passphrase from the environment: %v", err)
	}
	if p, err := BackupPassphrase(context.Background(), null, &quiet, "-", "", PurposeUnlock); err != nil || p != "short" {
		t.Errorf("backup passphrase from the environment: %q, %v", p, err)
	}
	if quiet.Len() != 0 {
		t.Errorf("wrote %q with no terminal", quiet.String())
	}
}
