package ipfs

import (
	"context"

	"github.com/ipfs/kubo/core/corerepo"
)

// RepoStat is the size of the repository this Store uses: the embedded node's, or the
// daemon's (which other programs may fill too).
type RepoStat struct {
	Size       uint64 // bytes on disk
	StorageMax uint64 // Datastore.StorageMax: garbage collection starts above it
}

// RepoStat reports the repository's size.
func (s *Store) RepoStat(ctx context.Context) (RepoStat, error) {
	const what = "ipfs: repository size"
	if err := s.check(); err != nil {
		return RepoStat{}, s.fail(ctx, what, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	if s.mode == ModeDaemon {
		var out struct{ RepoSize, StorageMax uint64 }
		err := s.rpc.Request("repo/stat").Option("size-only", true).Exec(ctx, &out)
		if err != nil {
			return RepoStat{}, s.fail(ctx, what, err)
		}
		return RepoStat{Size: out.RepoSize, StorageMax: out.StorageMax}, nil
	}
	st, err := corerepo.RepoSize(ctx, s.shared.node)
	if err != nil {
		return RepoStat{}, s.fail(ctx, what, err)
	}
	return RepoStat{Size: st.RepoSize, StorageMax: st.StorageMax}, nil
}
