package share

import (
	"context"
	"fmt"
)

// Forget removes the pins that fetching dataset id made (payload and metadata, of every version
// fetched), so this node stops keeping and serving them: their blocks go at the next garbage
// collection. Files Fetch wrote are not touched, and the pins of what this profile published
// are not either (a fetch never takes those over). It returns how many pins it removed; a
// dataset this node holds no fetched pins of is an error matching ErrNotFound.
//
// The policy: a fetched dataset stays pinned, and so served to others, until the user forgets it.
func (s *Service) Forget(ctx context.Context, id uint64) (int, error) {
	if err := s.writable("Forget"); err != nil {
		return 0, err
	}
	pins, err := s.ipfs.Pins(ctx)
	if err != nil {
		return 0, fmt.Errorf("list IPFS pins: %w", err)
	}
	name, n := s.fetchedPinName(id), 0
	for _, p := range pins {
		if p.Name != name {
			continue
		}
		if err := s.ipfs.Unpin(ctx, p.Cid); err != nil {
			return n, fmt.Errorf("forget dataset %d: %w", id, err)
		}
		n++
	}
	if n == 0 {
		return 0, notFound(fmt.Sprintf("dataset %d was not fetched on this computer (or was forgotten already)", id))
	}
	return n, nil
}
