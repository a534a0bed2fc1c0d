package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/share"
)

// checkStored opens the profile's IPFS repository after the command exited and checks that the
// payload and metadata are pinned, that the payload is an age file, and that no piece of the
// plaintext is stored in any block on disk.
func checkStored(t *testing.T, dataDir, plainPath string, d share.Dataset) {
	t.Helper()
	plain, err := os.ReadFile(plainPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ipfs.Open(t.Context(), ipfs.Options{RepoPath: filepath.Join(dataDir, "ipfs"), Mode: ipfs.ModeEmbedded, Network: ipfs.Loopback})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range []string{d.PayloadCID, d.MetadataCID} {
		c, err := cid.Decode(s)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := st.IsPinned(t.Context(), c); err != nil || !ok {
			t.Fatalf("%s is not pinned (%v)", s, err)
		}
	}
	c, _ := cid.Decode(d.PayloadCID)
	r, size, err := st.Open(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 22)
	if _, err := io.ReadFull(r, head); err != nil || string(head) != "age-encryption.org/v1\n" {
		t.Fatalf("payload starts with %q (%v), not an age header", head, err)
	}
	r.Close()
	if size <= int64(len(plain)) {
		t.Fatalf("payload is %d bytes for %d bytes of plaintext", size, len(plain))
	}
	// Samples of the plaintext must appear in no block file.
	var samples [][]byte
	for _, off := range []int{0, len(plain) / 3, len(plain) - 4096} {
		samples = append(samples, plain[off:off+4096])
	}
	blocks := 0
	err = filepath.WalkDir(filepath.Join(dataDir, "ipfs"), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".data") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		blocks++
		for _, s := range samples {
			if bytes.Contains(b, s) {
				t.Fatalf("block %s contains plaintext", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if blocks < len(plain)/(1<<20) {
		t.Fatalf("only %d block files found for a %d-byte payload", blocks, len(plain))
	}
}
