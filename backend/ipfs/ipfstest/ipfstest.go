// Package ipfstest starts loopback-only IPFS nodes for tests: embedded
// nodes (NewEmbedded) and real Kubo daemons built from the Kubo module this
// repository requires (StartDaemon, NewDaemon). Nothing they start listens or
// dials beyond 127.0.0.1, and everything is stopped when the test ends.
package ipfstest

import (
	"context"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/ipfs"
)

// NewEmbedded opens a loopback embedded node in a fresh t.TempDir(), closed
// when the test ends.
func NewEmbedded(t testing.TB) *ipfs.Store {
	t.Helper()
	return OpenEmbedded(t, ipfs.Options{})
}

// OpenEmbedded is NewEmbedded with options: Mode and Network are forced to
// embedded and loopback, and an empty RepoPath becomes a t.TempDir().
func OpenEmbedded(t testing.TB, opts ipfs.Options) *ipfs.Store {
	t.Helper()
	if opts.RepoPath == "" {
		opts.RepoPath = t.TempDir()
	}
	opts.Mode = ipfs.ModeEmbedded
	opts.Network = ipfs.Loopback
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := ipfs.Open(ctx, opts)
	if err != nil {
		t.Fatalf("starting an embedded IPFS node: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing the embedded IPFS node: %v", err)
		}
	})
	return s
}
