package app

import (
	"os"
	"path/filepath"
	"testing"
)

// badNameFolder is a folder that cannot be published: a file in it has a control character in
// its name.
func badNameFolder(t *testing.T) string {
	t.Helper()
	p := t.TempDir()
	if err := os.WriteFile(filepath.Join(p, "a\x1bb.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
