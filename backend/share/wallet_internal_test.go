package share

import (
	"testing"
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
