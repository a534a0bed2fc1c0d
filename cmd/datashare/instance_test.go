package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/share"
)

// TestSameThroughServe runs commands through a running `datashare serve` and then, serve
// stopped, in this process on the same profile: the same exit codes, the same output, the
// same --json.
func TestSameThroughServe(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	src := randomFile(t, dir, "data.bin", 300_000)
	s := p.serve(bin, "--log-level", "debug") // logs each call of the local API

	// Writes through serve.
	var pub share.Dataset
	if err := json.Unmarshal([]byte(p.ok("--json", "publish", src, "--price", "0.01", "--yes").stdout), &pub); err != nil || pub.ID != 1 {
		t.Fatalf("publish through serve: %+v, %v", pub, err)
	}
	got := filepath.Join(dir, "through.bin")
	p.ok("get", "1", "-o", got)
	sameFile(t, src, got)
	if r := p.run("publish", randomFile(t, dir, "unapproved.bin", 1000)); r.code != exitRejected || !strings.Contains(r.stderr, "add --yes") {
		t.Fatalf("publish without a terminal through serve: exit %d, %q", r.code, r.stderr)
	}

	cases := [][]string{
		{"ls"}, {"--json", "ls"}, {"list"},
		{"jobs"}, {"--json", "jobs"},
		{"get", "999", "-o", filepath.Join(dir, "x")},
		{"get", "1", "-o", dir}, // data.bin is there
		{"--json", "get", "1", "-o", src},
		{"forget", "999"},
		{"jobs", "discard", "0123456789abcdef"},
		{"jobs", "resume", "0123456789abcdef", "--yes"},
		{"wallet", "status"}, {"--json", "wallet", "status"},
	}
	through := make([]result, len(cases))
	for i, args := range cases {
		through[i] = p.run(args...)
	}
	stThrough := p.status()
	s.stop()
	for _, method := range []string{"publish", "fetch", "list", "jobs", "forget", "discardJob", "resumeJob", "walletStatus", "status"} {
		if !strings.Contains(s.text()+"\n", `msg="local API call" method=`+method+"\n") {
			t.Errorf("serve did not log a call of %s: the commands did not go through it\n%s", method, s.text())
		}
	}

	for i, args := range cases {
		local := p.run(args...)
		if local != through[i] {
			t.Errorf("datashare %s\nthrough serve: exit %d\n%s%s\nin this process: exit %d\n%s%s", strings.Join(args, " "),
				through[i].code, through[i].stdout, through[i].stderr, local.code, local.stdout, local.stderr)
		}
	}
	stLocal := p.status()
	stThrough.Block, stLocal.Block, stThrough.IPFSPeers, stLocal.IPFSPeers = 0, 0, 0, 0
	stThrough.IPFSRepoSize, stLocal.IPFSRepoSize = 0, 0
	// The running instance's IPFS node is up; a read-only status in this process starts none.
	if !stThrough.IPFSStarted || stThrough.IPFSPeerID == "" {
		t.Errorf("status through serve: IPFS not started (%+v)", stThrough)
	}
	if stLocal.IPFSStarted || stLocal.IPFSNote != share.IPFSNotStarted {
		t.Errorf("status in this process: want IPFS %q, got started=%v note=%q", share.IPFSNotStarted, stLocal.IPFSStarted, stLocal.IPFSNote)
	}
	stThrough.IPFSStarted, stThrough.IPFSNote, stThrough.IPFSPeerID = false, "", ""
	stLocal.IPFSStarted, stLocal.IPFSNote, stLocal.IPFSPeerID = false, "", ""
	if stThrough != stLocal {
		t.Errorf("status through serve %+v\nin this process %+v", stThrough, stLocal)
	}
	// What serve published is what this process lists.
	var list []share.Dataset
	if err := json.Unmarshal([]byte(p.ok("--json", "ls").stdout), &list); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range list {
		if d.ID == 1 {
			found = true
			pub.Status, d.Status = "", ""
			if d.Name != pub.Name || d.MetadataCID != pub.MetadataCID || d.PayloadCID != pub.PayloadCID || d.TxHash != pub.TxHash || d.Price != pub.Price {
				t.Errorf("published through serve %+v, listed %+v", pub, d)
			}
		}
	}
	if !found {
		t.Errorf("dataset 1 is not listed: %+v", list)
	}
}

// status is --json status.
func (p *profile) status() share.Status {
	p.t.Helper()
	var st share.Status
	if err := json.Unmarshal([]byte(p.ok("--json", "status").stdout), &st); err != nil {
		p.t.Fatal(err)
	}
	return st
}

// TestServeKilledMidPublish kills serve (SIGKILL) while a publish it runs for a command waits
// for its transaction: the socket it leaves is stale, the next commands open the profile
// themselves, resume finishes the publish, and it is on chain once.
func TestServeKilledMidPublish(t *testing.T) {
	p := newProfile(t)
	src := randomFile(t, t.TempDir(), "data.bin", 500_000)
	s := p.serve(bin)
	c := p.cmd("publish", src, "--yes")
	c.Path = hookBin // pauses when its publish is signed and journaled
	c.Env = append(c.Env, "DATASHARE_HOOK_STAGE=confirm", "DATASHARE_HOOK_ACTION=pause")
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	paused := make(chan bool, 1)
	var out strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			fmt.Fprintln(&out, sc.Text())
			if sc.Text() == "hook: paused at confirm" {
				paused <- true
			}
		}
		close(paused)
	}()
	select {
	case ok := <-paused:
		if !ok {
			c.Wait()
			t.Fatalf("the publish ended before its transaction was signed:\n%s", out.String())
		}
	case <-time.After(serveBound):
		t.Fatalf("the publish did not reach its transaction within %v", serveBound)
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	c.Process.Kill()
	c.Wait()
	if _, err := os.Lstat(filepath.Join(p.dir, "api.sock")); err != nil {
		t.Fatalf("serve killed left no socket behind (%v): the stale-socket case is not tested", err)
	}

	// The publish is unfinished (signed), or done if serve saw it mined before it died. The
	// command that finds the stale socket removes it and opens the profile itself.
	var jobs []share.Dataset
	if err := json.Unmarshal([]byte(p.ok("--json", "jobs").stdout), &jobs); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(p.dir, "api.sock")); err == nil {
		t.Fatal("the socket of the killed serve is still there after a command ran")
	}
	if len(jobs) > 1 || (len(jobs) == 1 && jobs[0].Stage != "signed") {
		t.Fatalf("after serve was killed, jobs = %+v", jobs)
	}
	t.Logf("after serve was killed: %d unfinished publish(es)", len(jobs))
	p.ok("resume", "--yes")
	list := p.list()
	if len(list) != 1 || list[0].ID != 1 || list[0].Status != "published" || list[0].Name != "data.bin" {
		t.Fatalf("after resume, ls = %+v", list)
	}
	if r := p.run("get", "2", "-o", filepath.Join(t.TempDir(), "x")); r.code != exitNotFound {
		t.Fatalf("a second dataset on chain: get 2 exit %d, %s", r.code, r.stderr)
	}
	dst := filepath.Join(t.TempDir(), "out.bin")
	p.ok("get", "1", "-o", dst)
	sameFile(t, src, dst)
}

// TestTwoCommandsThroughServe: commands run at once through one serve (no second lock, no
// second chain), and what needs the profile to itself says to stop serve first.
func TestTwoCommandsThroughServe(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	s := p.serve(bin)
	a, b := randomFile(t, dir, "a.bin", 400_000), randomFile(t, dir, "b.bin", 400_000)
	ca, cb, cl := p.cmd("publish", a, "--yes"), p.cmd("publish", b, "--yes"), p.cmd("--json", "status")
	for _, c := range []*exec.Cmd{ca, cb, cl} {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*exec.Cmd{ca, cb, cl} {
		if err := c.Wait(); err != nil {
			t.Fatalf("%v: %v", c.Args, err)
		}
	}
	list := p.list()
	if len(list) != 2 || list[0].ID+list[1].ID != 3 || list[0].Status != "published" || list[1].Status != "published" {
		t.Fatalf("after two publishes at once, ls = %+v", list)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"keys", "import", filepath.Join(dir, "a.bin"), "--passphrase-file", a}, "stop it first"},
		{[]string{"wallet", "pair", "--relay", "ws://127.0.0.1:9"}, "stop it first"},
		{[]string{"--network", "sepolia", "ls"}, "Local (this computer)"},
		{[]string{"serve"}, "already has this profile open"},
	} {
		if r := p.run(c.args...); r.code == 0 || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v with serve running: exit %d, %q; want a message containing %q", c.args, r.code, r.stderr, c.msg)
		}
	}
	s.stop()
	if _, err := os.Lstat(filepath.Join(p.dir, "api.sock")); err == nil {
		t.Error("serve stopped but left its socket")
	}
}
