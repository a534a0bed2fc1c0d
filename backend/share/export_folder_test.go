package share

import (
	"context"
	"io"

	"github.com/ipfs/go-cid"
)

// DatasetKeyForTest returns the key of the newest version of dataset id this profile holds
// (as the age tool reads it) and the payload's encrypted bytes, for the check users can make
// with age and tar.
func (s *Service) DatasetKeyForTest(ctx context.Context, id uint64) (string, []byte, error) {
	key, metaCID, err := s.datasetKey(ctx, id, 0)
	if err != nil {
		return "", nil, err
	}
	m, err := s.readMetadata(ctx, metaCID, key)
	if err != nil {
		return "", nil, err
	}
	c, err := cid.Decode(m.Payload)
	if err != nil {
		return "", nil, err
	}
	r, _, err := s.ipfs.Open(ctx, c)
	if err != nil {
		return "", nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	return key.Secret(), b, err
}
