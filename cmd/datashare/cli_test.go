package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/share"
)

// bin is the datashare command, built once without cgo, as shipped; hookBin is the same
// command built with the test hooks (testhooks_on.go).
var bin, hookBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "datashare-cli-test")
	if err != nil {
		panic(err)
	}
	os.Chmod(dir, 0o755) // TestUnreadableFile runs it as another user
	bin, hookBin = filepath.Join(dir, "datashare"), filepath.Join(dir, "datashare-testhooks")
	for _, b := range [][]string{{"-o", bin}, {"-tags", "datashare_testhooks", "-o", hookBin}} {
		build := exec.Command("go", append(append([]string{"build"}, b...), ".")...)
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building datashare %v with CGO_ENABLED=0 failed: %v\n%s", b, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// profile is one data directory used through the command.
type profile struct {
	t   *testing.T
	dir string
	env []string
}

func newProfile(t *testing.T) *profile {
	t.Helper()
	dir := t.TempDir()
	return &profile{t: t, dir: dir, env: append(os.Environ(),
		"DATASHARE_DATA_DIR="+dir,
		"DATASHARE_LOCALNET_DIR="+t.TempDir(), // a local chain of its own, never the user's
		"DATASHARE_PASSPHRASE=correct horse battery staple",
		"DATASHARE_IPFS_NETWORK=loopback", // tests never reach beyond the loopback
		"IPFS_PATH="+filepath.Join(dir, "no-daemon"),
	)}
}

// result is one finished command.
type result struct {
	code           int
	stdout, stderr string
}

func (p *profile) cmd(args ...string) *exec.Cmd {
	c := exec.Command(bin, append([]string{"--no-keyring", "--ipfs", "embedded"}, args...)...)
	c.Env = p.env
	return c
}

func (p *profile) run(args ...string) result {
	p.t.Helper()
	c := p.cmd(args...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("run datashare %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func (p *profile) ok(args ...string) result {
	p.t.Helper()
	r := p.run(args...)
	if r.code != 0 {
		p.t.Fatalf("datashare %v exited %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

func (p *profile) list() []share.Dataset {
	p.t.Helper()
	var ds []share.Dataset
	if err := json.Unmarshal([]byte(p.ok("--json", "ls").stdout), &ds); err != nil {
		p.t.Fatal(err)
	}
	return ds
}

func randomFile(t *testing.T, dir, name string, size int64) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Fatalf("%s and %s differ (%d and %d bytes)", a, b, len(x), len(y))
	}
}

// TestRoundTrip64MiB publishes a 64 MiB random file and fetches it to a new path.
func TestRoundTrip64MiB(t *testing.T) {
	p := newProfile(t)
	src := randomFile(t, t.TempDir(), "data.bin", 64<<20)
	var pub share.Dataset
	r := p.ok("--json", "publish", src, "--price", "0.01", "--yes")
	if err := json.Unmarshal([]byte(r.stdout), &pub); err != nil {
		t.Fatalf("publish output %q: %v", r.stdout, err)
	}
	if pub.ID == 0 || pub.Size != 64<<20 || pub.Price != "10000000000000000" || pub.Status != "published" {
		t.Fatalf("published %+v", pub)
	}
	list := p.list()
	if len(list) != 1 || list[0].ID != pub.ID || list[0].Name != "data.bin" {
		t.Fatalf("ls = %+v", list)
	}
	out := filepath.Join(t.TempDir(), "copy.bin")
	p.ok("get", fmt.Sprint(pub.ID), "-o", out)
	sameFile(t, src, out)
	checkStored(t, p.dir, src, pub)
}

func TestZeroByteFile(t *testing.T) {
	p := newProfile(t)
	src := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(src, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p.ok("publish", src, "--yes")
	out := t.TempDir() // a directory: the file goes in under its name
	r := p.ok("get", "1", "-o", out)
	if !strings.Contains(r.stdout, "empty.txt") {
		t.Fatalf("get output %q", r.stdout)
	}
	sameFile(t, src, filepath.Join(out, "empty.txt"))
}

// TestBadInput checks that every bad input gets a clear message, its exit code, and changes
// nothing.
func TestBadInput(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	good := randomFile(t, dir, "good.bin", 1000)
	p.ok("publish", good, "--yes")
	existing := randomFile(t, dir, "existing.bin", 10)

	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing file", []string{"publish", filepath.Join(dir, "nope.bin"), "--yes"}, exitNotFound, "no such file"},
		{"folder with an unpublishable name", []string{"publish", badFolder(t, dir), "--yes"}, exitFailure, "control or invisible formatting characters"},
		{"unknown dataset", []string{"get", "42", "-o", filepath.Join(dir, "x")}, exitNotFound, "dataset 42 does not exist"},
		{"bad dataset id", []string{"get", "abc", "-o", filepath.Join(dir, "x")}, exitUsage, "not a dataset ID"},
		{"no output path", []string{"get", "1"}, exitUsage, "needs -o PATH"},
		{"output exists", []string{"get", "1", "-o", existing}, exitFailure, "already exists"},
		{"output dir missing", []string{"get", "1", "-o", filepath.Join(dir, "no", "such", "x")}, exitNotFound, "no such directory"},
		{"bad price", []string{"publish", good, "--price", "-1", "--yes"}, exitUsage, "not an amount of ETH"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"unknown network", []string{"--network", "mainnet", "status"}, exitFailure, "unknown network"},
		{"no approval without a terminal", []string{"publish", existing}, exitRejected, "add --yes"},
		{"bad relay", []string{"wallet", "pair", "--relay", "http://127.0.0.1:9"}, exitUsage, "ws:// or wss://"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := p.run(c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d and a message containing %q", r.code, r.stderr, c.code, c.msg)
			}
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
				t.Fatalf("stack trace in the message: %s", r.stderr)
			}
		})
	}
	if list := p.list(); len(list) != 2 || list[1].Status != "published" {
		// existing.bin's rejected publish is listed as failed; nothing else changed
		t.Fatalf("after bad input, ls = %+v", list)
	}
	if b, _ := os.ReadFile(existing); len(b) != 10 {
		t.Fatal("get overwrote an existing file")
	}
}

// TestUnreadableFile runs the command as an unprivileged user on a file it cannot read (root
// can read anything).
func TestUnreadableFile(t *testing.T) {
	base, err := os.MkdirTemp("", "datashare-unreadable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o777); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(base, "secret.bin")
	if err := os.WriteFile(secret, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := newProfile(t)
	p.dir = filepath.Join(base, "profile")
	p.env = append(p.env, "DATASHARE_DATA_DIR="+p.dir, "HOME="+base)
	c := p.cmd("publish", secret, "--yes")
	if os.Getuid() == 0 {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	} else if err := os.Chmod(secret, 0); err != nil {
		t.Fatal(err)
	}
	out, err := c.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitFailure || !strings.Contains(string(out), "permission denied") {
		t.Fatalf("publish of an unreadable file: %v\n%s", err, out)
	}
}

func TestChainUnavailable(t *testing.T) {
	p := newProfile(t)
	settings := `{"network":"custom","networks":{"custom":{"rpcUrl":"http://127.0.0.1:9","chainId":1337,"contract":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}}`
	if err := os.WriteFile(filepath.Join(p.dir, "settings.json"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := p.run("status")
	if r.code != exitUnavailable || !strings.Contains(r.stderr, "127.0.0.1:9") {
		t.Fatalf("status with the chain down: exit %d, %q", r.code, r.stderr)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("took %v to report the chain down", d)
	}
}

func TestHelpAndStatus(t *testing.T) {
	p := newProfile(t)
	r := p.ok("--help")
	for _, want := range []string{"publish FILE", "get ID -o PATH", "Exit codes", "--data-dir"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("--help lacks %q", want)
		}
	}
	var st share.Status
	if err := json.Unmarshal([]byte(p.ok("--json", "status").stdout), &st); err != nil {
		t.Fatal(err)
	}
	// status opens the profile read-only: it says which IPFS would run, and starts none.
	if st.ChainID != 1337 || st.IPFSMode != "embedded" || st.IPFSStarted || st.IPFSNote != share.IPFSNotStarted ||
		st.IPFSNetwork != "loopback" || st.Balance == "0" || st.Account == "" {
		t.Fatalf("status = %+v", st)
	}
	human := p.ok("status").stdout
	if !strings.Contains(human, "chain id 1337") || !strings.Contains(human, "ETH") ||
		!strings.Contains(human, "embedded (not started: read-only command)") {
		t.Fatalf("status output:\n%s", human)
	}
}

// TestCrashDuringPublish kills the command with SIGKILL while it encrypts and uploads, then
// publishes the same file again: the publish resumes and the dataset is listed exactly once.
func TestCrashDuringPublish(t *testing.T) {
	p := newProfile(t)
	src := randomFile(t, t.TempDir(), "big.bin", 96<<20)
	c := p.cmd("publish", src, "--yes")
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), "30%") {
			c.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	c.Wait()
	if !killed {
		t.Fatal("the publish ended before it could be killed")
	}
	if list := p.list(); len(list) != 1 || list[0].Status == "published" || list[0].JobID == "" {
		t.Fatalf("after the crash, ls = %+v", list)
	}
	p.ok("publish", src, "--yes")
	list := p.list()
	if len(list) != 1 || list[0].Status != "published" || list[0].ID != 1 {
		t.Fatalf("after resuming, ls = %+v", list)
	}
	out := filepath.Join(t.TempDir(), "out.bin")
	p.ok("get", "1", "-o", out)
	sameFile(t, src, out)
}

// TestCrashAfterConfirmedPublish kills the command right after its publish was confirmed,
// before the local chain could shut down cleanly (the chain then forgets the last blocks):
// the next start re-submits the journaled transaction, and the dataset is listed exactly once.
func TestCrashAfterConfirmedPublish(t *testing.T) {
	p := newProfile(t)
	src := randomFile(t, t.TempDir(), "small.bin", 300_000)
	c := p.cmd("publish", src, "--yes")
	c.Path = hookBin
	c.Env = append(c.Env, "DATASHARE_CRASH_AFTER_PUBLISH=1")
	out, _ := c.CombinedOutput()
	if c.ProcessState == nil || c.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the command was not killed after publishing: %v\n%s", c.ProcessState, out)
	}
	if !strings.Contains(string(out), "Published small.bin as dataset 1") {
		t.Fatalf("output before the crash:\n%s", out)
	}
	for range 2 { // and once more, to check a second start does not duplicate anything
		list := p.list()
		if len(list) != 1 || list[0].Status != "published" || list[0].ID != 1 {
			t.Fatalf("after the crash, ls = %+v", list)
		}
	}
	dst := filepath.Join(t.TempDir(), "out.bin")
	p.ok("get", "1", "-o", dst)
	sameFile(t, src, dst)

	// The shipped command has no such hook: it ignores the variable.
	p.env = append(p.env, "DATASHARE_CRASH_AFTER_PUBLISH=1")
	r := p.ok("publish", randomFile(t, t.TempDir(), "shipped.bin", 1000), "--yes")
	if !strings.Contains(r.stdout, "Published shipped.bin as dataset 2") {
		t.Fatalf("publish with the shipped command:\n%s", r.stdout)
	}
}
