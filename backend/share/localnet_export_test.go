package share

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
)

// DatasetOwner reads a dataset's owner from the contract, through this profile's chain client.
func (s *Service) DatasetOwner(ctx context.Context, id uint64) (common.Address, error) {
	info, err := s.chain.Dataset(ctx, id)
	return info.Owner, err
}

// RunsLocalChain reports whether this profile's process runs the shared local chain.
func (s *Service) RunsLocalChain() bool { return s.localnet != nil && s.localnet.Running() }
