package share

import (
	"testing"
	"time"
)

// TestWaitWalletWithoutWallet: a Service without phone approval answers WaitWallet with an
// error (it dereferenced the missing wallet).
func TestWaitWalletWithoutWallet(t *testing.T) {
	s := &Service{}
	st, err := s.WaitWallet(t.Context())
	if err == nil || st.Approval != ApproveOnComputer || st.Unavailable == "" {
		t.Fatalf("WaitWallet = %+v, %v", st, err)
	}
}

// SetChainCallTimeout sets the bound of each chain call of a sync, for a test; it returns the
// function that restores it.
func SetChainCallTimeout(d time.Duration) (restore func()) {
	old := chainCallTimeout
	chainCallTimeout = d
	return func() { chainCallTimeout = old }
}
