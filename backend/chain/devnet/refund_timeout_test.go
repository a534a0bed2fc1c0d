package devnet_test

import (
	"testing"

	"github.com/datashare/datashare/backend/chain/devnet"
)

// TestRefundTimeoutOption: a chain started with Options.RefundTimeout deploys the contract with
// that timeout and records it; a later start without the option (another process taking over)
// keeps that contract instead of deploying another.
func TestRefundTimeoutOption(t *testing.T) {
	dir := t.TempDir()
	n := start(t, devnet.Options{DataDir: dir, RefundTimeout: 5})
	first := n.Contract()
	if rt, err := dial(t, n).RefundTimeout(ctxT(t)); err != nil || rt != 5 {
		t.Fatalf("refund timeout %d, %v; want 5", rt, err)
	}
	if dep, err := devnet.ReadDeployment(dir); err != nil || dep.RefundTimeout != 5 {
		t.Fatalf("deployment.json = %+v, %v", dep, err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	n2 := start(t, devnet.Options{DataDir: dir})
	if n2.Contract() != first {
		t.Fatalf("a start without the option deployed %s instead of keeping %s", n2.Contract(), first)
	}
	if rt, err := dial(t, n2).RefundTimeout(ctxT(t)); err != nil || rt != 5 {
		t.Fatalf("refund timeout after a restart %d, %v; want 5", rt, err)
	}
}
