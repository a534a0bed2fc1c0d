package main

import (
	"os"
	"path/filepath"
	"testing"
)

// badFolder makes, under dir, a folder that cannot be published: a file in it has a control
// character in its name (refused whoever runs the test, root included).
func badFolder(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "badnames")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "a\x1bb.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
