package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serveBound bounds how long serve may take to start or to stop: past it, the test calls it a
// hang (a loaded machine starts the chain and the IPFS node in seconds, not minutes).
const serveBound = 3 * time.Minute

// served is a running `datashare serve`.
type served struct {
	t     *testing.T
	cmd   *exec.Cmd
	mu    sync.Mutex
	log   []string
	lines chan string // every log line, as it comes
	done  chan struct{}
}

// serve starts `datashare serve` on the profile with args and waits for its ready line.
func (p *profile) serve(path string, args ...string) *served {
	p.t.Helper()
	c := p.cmd(append([]string{"serve"}, args...)...)
	c.Path = path
	stderr, err := c.StderrPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		p.t.Fatal(err)
	}
	s := &served{t: p.t, cmd: c, lines: make(chan string, 1000), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.log = append(s.log, sc.Text())
			s.mu.Unlock()
			select {
			case s.lines <- sc.Text():
			default: // nobody waits for lines now: the log keeps them
			}
		}
	}()
	p.t.Cleanup(func() {
		if c.ProcessState == nil {
			c.Process.Kill()
			c.Wait()
		}
	})
	s.waitLog("msg=ready")
	return s
}

// waitLog waits for a log line containing each of parts and returns it.
func (s *served) waitLog(parts ...string) string {
	s.t.Helper()
	timeout := time.NewTimer(serveBound)
	defer timeout.Stop()
	for {
		select {
		case l := <-s.lines:
			if containsAll(l, parts) {
				return l
			}
		case <-s.done:
			s.t.Fatalf("serve ended before logging %q:\n%s", parts, s.text())
		case <-timeout.C:
			s.t.Fatalf("serve did not log %q within %v:\n%s", parts, serveBound, s.text())
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// text is the whole log so far.
func (s *served) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.log, "\n")
}

// stop sends SIGTERM and waits for serve to exit 0 after closing the profile.
func (s *served) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { <-s.done; exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			s.t.Fatalf("serve after SIGTERM: %v\n%s", err, s.text())
		}
	case <-time.After(serveBound):
		s.t.Fatalf("serve did not stop within %v of SIGTERM:\n%s", serveBound, s.text())
	}
	if log := s.text(); !strings.Contains(log, "msg=stopped") {
		s.t.Fatalf("serve did not log that it stopped:\n%s", log)
	}
}

// TestServeStartsAndStops: serve opens the profile, says so on one line with what it runs,
// syncs, logs no secret, and stops cleanly on SIGTERM, leaving the profile to the next command.
func TestServeStartsAndStops(t *testing.T) {
	p := newProfile(t)
	s := p.serve(bin, "--log-level", "debug", "--sync-interval", "1s")
	ready := s.waitLogLine("msg=ready")
	for _, want := range []string{"network=local", "chainId=1337", "account=0x", "ipfs=embedded", "dataDir=" + p.dir} {
		if !strings.Contains(ready, want) {
			t.Errorf("the ready line lacks %q: %s", want, ready)
		}
	}
	s.waitLog("level=DEBUG", "msg=synced", "datasets=0")
	s.stop()
	log := s.text()
	if strings.Contains(log, "correct horse battery staple") {
		t.Fatalf("the passphrase is in the log:\n%s", log)
	}
	for _, l := range strings.Split(log, "\n") {
		if !strings.HasPrefix(l, "time=") || !strings.Contains(l, " level=") {
			t.Errorf("not a structured log line: %q", l)
		}
	}
	if r := p.ok("--json", "ls"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("ls after serve: %q", r.stdout)
	}
}

// waitLogLine finds a line already logged (or waits for it).
func (s *served) waitLogLine(part string) string {
	s.t.Helper()
	for _, l := range strings.Split(s.text(), "\n") {
		if strings.Contains(l, part) {
			return l
		}
	}
	return s.waitLog(part)
}

// TestServeFinishesApprovedPublishes: a publish whose transaction was signed before a crash is
// finished by serve (published once); one that was never approved is left alone (serve sends
// nothing nobody approved).
func TestServeFinishesApprovedPublishes(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	unapproved := randomFile(t, dir, "unapproved.bin", 2000)
	if r := p.run("publish", unapproved); r.code != exitRejected { // no terminal to approve on
		t.Fatalf("publish without approval: exit %d, %s", r.code, r.stderr)
	}
	c := p.cmd("publish", randomFile(t, dir, "approved.bin", 3000), "--yes")
	c.Path = hookBin
	// Killed once its transaction is signed and journaled.
	c.Env = append(c.Env, "DATASHARE_HOOK_STAGE=confirm", "DATASHARE_HOOK_ACTION=kill")
	if out, _ := c.CombinedOutput(); c.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the publish was not killed:\n%s", out)
	}
	before := p.ok("--json", "jobs").stdout
	if !strings.Contains(before, `"stage": "signed"`) || !strings.Contains(before, "approved.bin") {
		t.Fatalf("after the crash, jobs = %s", before)
	}

	s := p.serve(bin, "--sync-interval", "1s")
	s.waitLog("msg=published", "name=approved.bin", "dataset=1")
	s.stop()
	if log := s.text(); strings.Contains(log, "unapproved.bin") || strings.Contains(log, "approval refused") {
		t.Fatalf("serve tried the unapproved publish:\n%s", log)
	}

	list := p.list()
	var published int
	for _, d := range list {
		if d.Status == "published" {
			published++
			if d.Name != "approved.bin" || d.ID != 1 {
				t.Errorf("published %+v", d)
			}
		}
	}
	if published != 1 || len(list) != 2 {
		t.Fatalf("after serve, ls = %+v", list)
	}
	var jobs, was []struct{ JobID, Name, Stage, Status, Error string }
	if err := json.Unmarshal([]byte(p.ok("--json", "jobs").stdout), &jobs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(before), &was); err != nil {
		t.Fatal(err)
	}
	var left []struct{ JobID, Name, Stage, Status, Error string }
	for _, j := range was {
		if j.Name == "unapproved.bin" {
			left = append(left, j)
		}
	}
	if len(jobs) != 1 || len(left) != 1 || jobs[0] != left[0] {
		t.Fatalf("the unapproved job changed: was %+v, is %+v", left, jobs)
	}
}
