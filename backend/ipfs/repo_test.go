package ipfs_test

import (
	"testing"
	"time"

	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/ipfs/ipfstest"
)

// TestRepoStat: the repository's size grows by what is added, on the embedded node and through
// a daemon.
func TestRepoStat(t *testing.T) {
	ctx := testContext(t, 2*time.Minute)
	d := ipfstest.NewDaemon(t)
	daemon, err := ipfs.Open(ctx, ipfs.Options{APIAddr: d.API, Mode: ipfs.ModeDaemon, Network: ipfs.Loopback})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { daemon.Close() })
	for _, s := range []*ipfs.Store{ipfstest.NewEmbedded(t), daemon} {
		t.Run(string(s.Mode()), func(t *testing.T) {
			before, err := s.RepoStat(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if before.StorageMax == 0 {
				t.Errorf("RepoStat = %+v: no StorageMax", before)
			}
			if _, err := s.Add(ctx, stream(42, 4<<20), "repo stat"); err != nil {
				t.Fatal(err)
			}
			after, err := s.RepoStat(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after.Size < before.Size+4<<20 {
				t.Fatalf("repository size %d after adding 4 MiB to %d", after.Size, before.Size)
			}
		})
	}
}
