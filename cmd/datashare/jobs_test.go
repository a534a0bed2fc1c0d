package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/index"
)

// editJobs changes the journal of a profile no command is running on.
func (p *profile) editJobs(fn func(jobs []*index.Job)) {
	p.t.Helper()
	m, err := filepath.Glob(filepath.Join(p.dir, "index", "*.db"))
	if err != nil || len(m) != 1 {
		p.t.Fatalf("index databases: %v, %v", m, err)
	}
	db, err := index.Open(m[0])
	if err != nil {
		p.t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	jobs, err := db.Jobs(ctx, "")
	if err != nil {
		p.t.Fatal(err)
	}
	fn(jobs)
	for _, j := range jobs {
		if err := db.PutJob(ctx, j); err != nil {
			p.t.Fatal(err)
		}
	}
}

// TestResumeReportsEachJob: resume goes past a publish that fails, prints one line per job,
// exits non-zero, and --json lists the outcomes; jobs lists, resumes and discards.
func TestResumeReportsEachJob(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	a := randomFile(t, dir, "a.bin", 2000)
	b := randomFile(t, dir, "b.bin", 3000)
	c := randomFile(t, dir, "c.bin", 4000)
	for _, f := range []string{a, b, c} {
		if r := p.run("publish", f); r.code != exitRejected { // no terminal to approve on
			t.Fatalf("publish %s: exit %d, %s", f, r.code, r.stderr)
		}
	}
	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	p.editJobs(func(jobs []*index.Job) { jobs[0].Stage = index.JobCreated }) // a.bin must be read again

	r := p.run("jobs")
	if r.code != 0 || strings.Count(r.stdout, "failed") != 3 || !strings.Contains(r.stdout, "a.bin") || !strings.Contains(r.stdout, "metadata") {
		t.Fatalf("jobs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var jobs []struct {
		JobID, Name, Status, Stage string
	}
	if err := json.Unmarshal([]byte(p.ok("--json", "jobs").stdout), &jobs); err != nil || len(jobs) != 3 {
		t.Fatalf("jobs --json: %+v, %v", jobs, err)
	}
	cJob := jobs[2].JobID

	// Bad input: nothing changes.
	for _, bad := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"jobs", "discard"}, exitUsage, "needs a job ID"},
		{[]string{"jobs", "discard", "0123456789abcdef"}, exitNotFound, "there is no publish job"},
		{[]string{"jobs", "resume", "0123456789abcdef", "--yes"}, exitNotFound, "there is no publish job"},
		{[]string{"jobs", "frobnicate"}, exitUsage, "unknown jobs command"},
		{[]string{"resume", "extra"}, exitUsage, "no arguments"},
	} {
		if r := p.run(bad.args...); r.code != bad.code || !strings.Contains(r.stderr, bad.msg) {
			t.Fatalf("%v: exit %d, stderr %q; want %d and %q", bad.args, r.code, r.stderr, bad.code, bad.msg)
		}
	}

	p.ok("jobs", "discard", cJob)
	r = p.run("resume", "--yes")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code == 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "Failed") || !strings.Contains(lines[0], "a.bin") ||
		!strings.Contains(lines[1], "Published b.bin as dataset 1") || !strings.Contains(r.stderr, "1 of 2") {
		t.Fatalf("resume: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	r = p.run("--json", "resume", "--yes")
	var out []struct {
		Job   struct{ Name, Status string }
		Error string
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code == 0 || len(out) != 1 || out[0].Job.Name != "a.bin" ||
		!strings.Contains(out[0].Error, "no such file") || out[0].Job.Status != "failed" {
		t.Fatalf("resume --json: exit %d, %+v, %v\n%s", r.code, out, err, r.stdout)
	}
	if list := p.list(); len(list) != 2 || list[1].ID != 1 || list[0].Name != "a.bin" {
		t.Fatalf("ls = %+v", list)
	}
}
