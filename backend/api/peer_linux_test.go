package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/datashare/datashare/internal/testreal"
)

// peerEnv makes the test binary act as a client of another user (see TestMain).
const peerEnv = "DATASHARE_API_TEST_PEER"

func TestMain(m *testing.M) {
	if sock := os.Getenv(peerEnv); sock != "" {
		// The peer: say what Dial answered, on stdout.
		_, err := Dial(context.Background(), sock, ClientOptions{})
		fmt.Printf("uid %d: %v\n", os.Geteuid(), err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// asNobody runs this test binary as the user nobody, as a client of sock, and returns what it
// printed. It needs root (to change user); under CI a missing part fails the test.
func asNobody(t *testing.T, sock string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		testreal.Need(t, "root, to run a client as another user", errors.New("the tests do not run as root"))
	}
	u, err := user.Lookup("nobody")
	testreal.Need(t, "the user nobody", err)
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)

	// A copy of the test binary that nobody may run (the build directory is private).
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "peer.test")
	copyFile(t, os.Args[0], exe)

	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), peerEnv+"="+sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the peer as nobody: %v: %s", err, out)
	}
	want := fmt.Sprintf("uid %d: ", uid)
	if !strings.HasPrefix(string(out), want) {
		t.Fatalf("the peer did not run as nobody: %s", out)
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), want)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Link(from, to); err == nil {
		if err := os.Chmod(to, 0o755); err != nil {
			t.Fatal(err)
		}
		return
	}
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
