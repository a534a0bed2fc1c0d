package share

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
)

// SetAfterRequestMined sets a function called once a request's receipt is in, before Request
// reads what became of it; it returns a function that restores the default.
func SetAfterRequestMined(f func()) func() {
	old := afterRequestMined
	afterRequestMined = f
	return func() { afterRequestMined = old }
}

// DeclineForTest declines the pending request of requester for dataset id with the owner's
// account (the owner's inbox has its own use case; the buyer's tests need only the transaction).
func (s *Service) DeclineForTest(ctx context.Context, id uint64, requester common.Address) error {
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: "Decline request",
		To:     s.network.Contract,
		Data:   chain.DeclineData(id, requester),
	})
	if err := out.Error(); err != nil {
		return fmt.Errorf("decline the request of %s for dataset %d: %w", requester.Hex(), id, err)
	}
	return nil
}
