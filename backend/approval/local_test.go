package approval_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
)

// TestLocalNilConfirmRefuses: a Local with no Confirm fails closed — it sends nothing.
func TestLocalNilConfirmRefuses(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	from := crypto.PubkeyToAddress(key.PublicKey)
	before, err := c.Eth().NonceAt(t.Context(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := &approval.Local{Chain: c, Key: key, Network: "test"}
	out := l.Approve(t.Context(), approval.Request{Action: "Send", To: common.HexToAddress("0x5eed"), Value: big.NewInt(1)})
	if out.Status != approval.Failed || !errors.Is(out.Err, approval.ErrNoConfirm) {
		t.Fatalf("Approve with no Confirm: %v, %v; want Failed with ErrNoConfirm", out.Status, out.Err)
	}
	after, err := c.Eth().NonceAt(t.Context(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("the nonce went from %d to %d: a transaction was sent", before, after)
	}
}
