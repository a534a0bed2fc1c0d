package share_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/datashare/datashare/backend/share"
)

// TestFetchKeepsExistingFile: a fetch never replaces an existing file unless told to, whether
// the output path names the file or the directory it goes into.
func TestFetchKeepsExistingFile(t *testing.T) {
	s := open(t, share.Config{})
	path, data := writeRandom(t, 70_000)
	d, err := s.Publish(t.Context(), path, share.PublishOptions{Name: "report.bin"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	existing := filepath.Join(dir, "report.bin")
	old := []byte("the user's own report")
	if err := os.WriteFile(existing, old, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{dir, existing} {
		_, err := s.Fetch(t.Context(), d.ID, out, share.FetchOptions{}, nil)
		var ee *share.ExistsError
		if !errors.As(err, &ee) || ee.Path != existing || !errors.Is(err, os.ErrExist) {
			t.Fatalf("Fetch to %s without Overwrite: %v; want an ExistsError for %s", out, err, existing)
		}
		if b, _ := os.ReadFile(existing); !bytes.Equal(b, old) {
			t.Fatalf("Fetch to %s without Overwrite replaced the file", out)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("the refused fetches left %d files in the directory", len(ents))
	}
	r, err := s.Fetch(t.Context(), d.ID, dir, share.FetchOptions{Overwrite: true}, nil)
	if err != nil || r.Path != existing {
		t.Fatalf("Fetch with Overwrite = %+v, %v", r, err)
	}
	if b, _ := os.ReadFile(existing); !bytes.Equal(b, data) {
		t.Fatal("Fetch with Overwrite did not write the dataset")
	}
}
