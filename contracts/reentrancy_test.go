package contracts_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/contracts"
	"github.com/datashare/datashare/contracts/internal/testcontracts"
)

// What the attacker re-enters when paid (testcontracts.ReentrancyAttacker.Reenter).
const (
	reenterNothing uint8 = iota
	reenterWithdraw
	reenterRefund
)

// attacker is a deployed ReentrancyAttacker driven by account `from`.
type attacker struct {
	e    *env
	from int
	addr common.Address
}

func newAttacker(e *env, from int) *attacker {
	addr := e.deploy(from, attackerABI.PackConstructor(e.addr), testcontracts.ReentrancyAttackerMetaData.Bin)
	a := &attacker{e: e, from: from, addr: addr}
	a.must(attackerABI.PackRegisterKey([32]byte{0xa7, 0x7a, 0xc6}), nil) // requestAccess needs a key
	return a
}

func (a *attacker) do(data []byte, value *big.Int) error {
	_, err := a.e.send(a.from, &a.addr, data, value)
	return err
}

func (a *attacker) must(data []byte, value *big.Int) {
	a.e.t.Helper()
	if err := a.do(data, value); err != nil {
		a.e.t.Fatalf("attacker call: %v", err)
	}
}

// checkBlocked asserts that no re-entrant call succeeded, that the last one failed with the
// contract's Reentrancy error, and that the attacker received exactly `want` in total.
func (a *attacker) checkBlocked(t *testing.T, want *big.Int) {
	t.Helper()
	n, err := callAt(a.e, a.addr, attackerABI.PackReentries(), attackerABI.UnpackReentries)
	if err != nil {
		t.Fatal(err)
	}
	if n.Sign() != 0 {
		t.Fatalf("%d re-entrant calls succeeded", n)
	}
	lastErr, err := callAt(a.e, a.addr, attackerABI.PackLastError(), attackerABI.UnpackLastError)
	if err != nil {
		t.Fatal(err)
	}
	got, err := contracts.UnpackRevert(lastErr)
	if err != nil {
		t.Fatalf("re-entrant call failed with %x, not a DataShare error: %v", lastErr, err)
	}
	if _, ok := got.(*contracts.DataShareReentrancy); !ok {
		t.Fatalf("re-entrant call failed with %T, want Reentrancy", got)
	}
	received, err := callAt(a.e, a.addr, attackerABI.PackReceived(), attackerABI.UnpackReceived)
	if err != nil {
		t.Fatal(err)
	}
	wantBig(t, "attacker received", received, want)
	wantBig(t, "attacker balance", a.e.balance(a.addr), want)
}

func TestReentrancy(t *testing.T) {
	price := eth(1)
	// setup: dataset 1 (price) owned by account 0; account 2 leaves an escrow in the contract, so
	// there is always someone else's money to steal.
	setup := func(t *testing.T) (*env, *attacker, *big.Int) {
		e := newEnv(t, 3)
		id := big.NewInt(e.publish(0, price))
		e.must(2, ds.PackRequestAccess(id), price)
		return e, newAttacker(e, 1), id
	}

	t.Run("withdraw re-enters withdraw", func(t *testing.T) {
		e, a, id := setup(t)
		a.must(attackerABI.PackRequest(id), price)
		e.must(0, ds.PackRevoke(id, a.addr), nil) // credits the attacker's escrow to its balance
		a.must(attackerABI.PackArm(reenterWithdraw, id, false), nil)
		a.must(attackerABI.PackWithdraw(), nil)
		a.checkBlocked(t, price)
		wantBig(t, "contract keeps the other escrow", e.balance(e.addr), price)
	})

	t.Run("withdraw of a declined escrow re-enters withdraw", func(t *testing.T) {
		e, a, id := setup(t)
		a.must(attackerABI.PackRequest(id), price)
		e.must(0, ds.PackDecline(id, a.addr), nil) // credits the attacker's escrow, no ban
		a.must(attackerABI.PackArm(reenterWithdraw, id, false), nil)
		a.must(attackerABI.PackWithdraw(), nil)
		a.checkBlocked(t, price)
		wantBig(t, "contract keeps the other escrow", e.balance(e.addr), price)
		// Not banned: the attacker may request again and be answered.
		a.must(attackerABI.PackRequest(id), price)
		e.must(0, ds.PackFulfil(id, a.addr, testEnvelope), nil)
		wantBig(t, "owner paid for one sale", e.withdrawable(e.acct[0]), price)
	})

	t.Run("refund re-enters refund", func(t *testing.T) {
		e, a, id := setup(t)
		a.must(attackerABI.PackRequest(id), price)
		if err := e.adjustTime(refundTimeout * time.Second); err != nil {
			t.Fatal(err)
		}
		e.sim.Commit()
		a.must(attackerABI.PackArm(reenterRefund, id, false), nil)
		a.must(attackerABI.PackRefund(id), nil)
		a.checkBlocked(t, price)
		wantBig(t, "contract keeps the other escrow", e.balance(e.addr), price)
	})

	t.Run("refund re-enters withdraw", func(t *testing.T) {
		e, a, id := setup(t)
		// The attacker has a withdrawable balance on dataset 2 and a pending request on dataset 1.
		id2 := big.NewInt(e.publish(0, price))
		a.must(attackerABI.PackRequest(id2), price)
		e.must(0, ds.PackRevoke(id2, a.addr), nil)
		a.must(attackerABI.PackRequest(id), price)
		if err := e.adjustTime(refundTimeout * time.Second); err != nil {
			t.Fatal(err)
		}
		e.sim.Commit()
		a.must(attackerABI.PackArm(reenterWithdraw, id, false), nil)
		a.must(attackerABI.PackRefund(id), nil)
		a.checkBlocked(t, price)
		wantBig(t, "attacker's balance still owed", e.withdrawable(a.addr), price)
		wantBig(t, "contract holds escrow + owed balance", e.balance(e.addr), eth(2))
	})

	t.Run("recipient refusing ether", func(t *testing.T) {
		e, a, id := setup(t)
		a.must(attackerABI.PackRequest(id), price)
		e.must(0, ds.PackRevoke(id, a.addr), nil)
		a.must(attackerABI.PackArm(reenterNothing, id, true), nil)
		err := a.do(attackerABI.PackWithdraw(), nil)
		wantRevert(t, err, &contracts.DataShareTransferFailed{To: a.addr, Amount: price})
		wantBig(t, "balance still owed after failed transfer", e.withdrawable(a.addr), price)
	})
}
