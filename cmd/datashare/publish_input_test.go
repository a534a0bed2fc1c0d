package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPublishBadInputFailsBeforeOpening: bad publish input gets its message and exit code before
// the profile is opened: the data directory stays empty.
func TestPublishBadInputFailsBeforeOpening(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	good := randomFile(t, dir, "good.bin", 100)
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"long description", []string{"publish", good, "--description", strings.Repeat("d", 70_000), "--yes"}, exitUsage, "--description: the description takes 70002 bytes once stored; shorten it to at most"},
		{"control character in description", []string{"publish", good, "--description", "a\x1b[2Jb", "--yes"}, exitUsage, "--description: the description cannot contain control characters"},
		{"long name", []string{"publish", good, "--name", strings.Repeat("n", 201), "--yes"}, exitUsage, "--name: the name is 201 characters long; use at most 200"},
		{"line break in name", []string{"publish", good, "--name", "a\nb", "--yes"}, exitUsage, "--name: the name cannot contain line breaks"},
		{"bidi override in name", []string{"publish", good, "--name", "invoice\u202Efdp.exe", "--yes"}, exitUsage, "text-direction overrides"},
		{"price over the contract's limit", []string{"publish", good, "--price", "100000000000", "--yes"}, exitUsage, "--price: the price is too high"},
		{"missing file", []string{"publish", filepath.Join(dir, "nope.bin"), "--yes"}, exitNotFound, "no such file"},
		{"folder with an unpublishable name", []string{"publish", badFolder(t, dir), "--yes"}, exitFailure, "control or invisible formatting characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := p.run(c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d and a message containing %q", r.code, r.stderr, c.code, c.msg)
			}
		})
	}
	if ents, _ := os.ReadDir(p.dir); len(ents) != 0 {
		t.Fatalf("bad input opened the profile: %d entries in its data directory", len(ents))
	}
}
