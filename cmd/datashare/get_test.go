package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGetKeepsExistingFile: get never replaces an existing file unless --force, whether -o
// names the file or its directory.
func TestGetKeepsExistingFile(t *testing.T) {
	p := newProfile(t)
	src := randomFile(t, t.TempDir(), "report.bin", 5000)
	p.ok("publish", src, "--yes")
	dir := t.TempDir()
	existing := filepath.Join(dir, "report.bin")
	old := []byte("the user's own report")
	if err := os.WriteFile(existing, old, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{dir, dir + "/", existing} {
		r := p.run("get", "1", "-o", out)
		if r.code != exitFailure || !strings.Contains(r.stderr, existing+" already exists") || !strings.Contains(r.stderr, "--force") {
			t.Fatalf("get -o %s over an existing file: exit %d, %q", out, r.code, r.stderr)
		}
		if b, _ := os.ReadFile(existing); !bytes.Equal(b, old) {
			t.Fatalf("get -o %s replaced the existing file", out)
		}
	}
	p.ok("get", "1", "-o", dir+"/", "--force")
	sameFile(t, src, existing)
}
