package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/contracts"
	"github.com/datashare/datashare/contracts/internal/testcontracts"
)

// refundTimeout is the escrow timeout the tests deploy with, in seconds.
const refundTimeout = 3600

var (
	ether       = big.NewInt(params.Ether)
	gwei        = big.NewInt(params.GWei)
	chainID     = big.NewInt(devnet.ChainID)
	startBal    = new(big.Int).Mul(big.NewInt(1000), ether)
	ds          = contracts.NewDataShare()
	attackerABI = testcontracts.NewReentrancyAttacker()
)

// env is a simulated chain under mainnet gas rules with funded accounts and a deployed DataShare.
type env struct {
	t      testing.TB
	sim    *simulated.Backend
	client simulated.Client
	keys   []*ecdsa.PrivateKey
	acct   []common.Address
	addr   common.Address // the DataShare contract
}

// newEnv starts a chain with n funded accounts (deterministic keys, so gas figures are
// reproducible), deploys DataShare from account 0 and registers an encryption key for every
// account (testKey(i)), as requestAccess needs.
func newEnv(t testing.TB, n int) *env {
	t.Helper()
	e := newBareEnv(t, n)
	for i := range n {
		e.must(i, ds.PackRegisterKey(testKey(i)), nil)
	}
	return e
}

// testKey is the encryption key newEnv registers for account i.
func testKey(i int) [32]byte { return [32]byte{0xee, byte(i), 0x55, 0x17} }

// newBareEnv is newEnv without registering any encryption key.
func newBareEnv(t testing.TB, n int) *env {
	t.Helper()
	e := &env{t: t}
	alloc := types.GenesisAlloc{}
	for i := range n {
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("datashare test account %d", i))))
		if err != nil {
			t.Fatal(err)
		}
		e.keys = append(e.keys, key)
		e.acct = append(e.acct, crypto.PubkeyToAddress(key.PublicKey))
		alloc[e.acct[i]] = types.Account{Balance: startBal}
	}
	e.sim = simulated.NewBackend(alloc, func(_ *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = devnet.ChainConfig()
	})
	t.Cleanup(func() { e.sim.Close() })
	e.client = e.sim.Client()
	e.addr = e.deploy(0, ds.PackConstructor(big.NewInt(refundTimeout)), contracts.DataShareMetaData.Bin)
	return e
}

// deploy sends a contract creation from account `from` and returns the new address.
func (e *env) deploy(from int, ctorArgs []byte, bin string) common.Address {
	e.t.Helper()
	code := append(common.FromHex(bin), ctorArgs...)
	rcpt, err := e.send(from, nil, code, nil)
	if err != nil {
		e.t.Fatalf("deploy: %v", err)
	}
	return rcpt.ContractAddress
}

// send signs and sends a transaction from account `from`, mines it and returns its receipt.
// A transaction that would revert is not sent: the error from gas estimation carries the revert
// data (decode it with contracts.DecodeRevert), and nothing changes on chain.
func (e *env) send(from int, to *common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	ctx := context.Background()
	if value == nil {
		value = new(big.Int)
	}
	gas, err := e.client.EstimateGas(ctx, ethereum.CallMsg{From: e.acct[from], To: to, Data: data, Value: value})
	if err != nil {
		return nil, err
	}
	nonce, err := e.client.PendingNonceAt(ctx, e.acct[from])
	if err != nil {
		return nil, err
	}
	head, err := e.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(gwei, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: gwei, GasFeeCap: feeCap, Gas: gas,
		To: to, Value: value, Data: data,
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(chainID), e.keys[from])
	if err != nil {
		return nil, err
	}
	if err := e.client.SendTransaction(ctx, signed); err != nil {
		return nil, err
	}
	e.sim.Commit()
	rcpt, err := e.client.TransactionReceipt(ctx, signed.Hash())
	if err != nil {
		return nil, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, fmt.Errorf("transaction %s failed on chain", signed.Hash())
	}
	return rcpt, nil
}

// adjustTime moves the chain's clock forward by d. The simulated backend refuses while its
// pending block holds transactions, which it briefly does after a commit while its pool
// catches up with the new head (seen on a loaded machine): that refusal is retried for a while.
func (e *env) adjustTime(d time.Duration) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := e.sim.AdjustTime(d)
		if err == nil || !strings.Contains(err.Error(), "non-empty block") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tx sends calldata to DataShare from account `from` with value wei.
func (e *env) tx(from int, data []byte, value *big.Int) (*types.Receipt, error) {
	return e.send(from, &e.addr, data, value)
}

// must is tx that fails the test on error.
func (e *env) must(from int, data []byte, value *big.Int) *types.Receipt {
	e.t.Helper()
	r, err := e.tx(from, data, value)
	if err != nil {
		e.t.Fatalf("transaction from account %d: %v", from, err)
	}
	return r
}

// call runs a view call on DataShare and unpacks it.
func call[T any](e *env, data []byte, unpack func([]byte) (T, error)) (T, error) {
	return callAt(e, e.addr, data, unpack)
}

// callAt runs a view call on the contract at `to` and unpacks it.
func callAt[T any](e *env, to common.Address, data []byte, unpack func([]byte) (T, error)) (T, error) {
	out, err := e.client.CallContract(context.Background(), ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		var zero T
		return zero, err
	}
	return unpack(out)
}

// view is call that fails the test on error.
func view[T any](e *env, data []byte, unpack func([]byte) (T, error)) T {
	e.t.Helper()
	v, err := call(e, data, unpack)
	if err != nil {
		e.t.Fatalf("view call: %v", err)
	}
	return v
}

func (e *env) balance(a common.Address) *big.Int {
	e.t.Helper()
	b, err := e.client.BalanceAt(context.Background(), a, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *env) access(id int64, a common.Address) contracts.AccessOfOutput {
	e.t.Helper()
	return view(e, ds.PackAccessOf(big.NewInt(id), a), ds.UnpackAccessOf)
}

func (e *env) withdrawable(a common.Address) *big.Int {
	e.t.Helper()
	return view(e, ds.PackWithdrawable(a), ds.UnpackWithdrawable)
}

// publish publishes a dataset from account `from` and returns its id.
func (e *env) publish(from int, price *big.Int) int64 {
	e.t.Helper()
	if price == nil {
		price = new(big.Int)
	}
	r := e.must(from, ds.PackPublish(testCID, price, testEnvelope), nil)
	ev := mustEvent(e.t, r, ds.UnpackPublishedEvent)
	return ev.Id.Int64()
}

// fee is what a receipt's transaction cost its sender.
func fee(r *types.Receipt) *big.Int {
	return new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
}

// mustEvent returns the one log of the receipt that unpack accepts.
func mustEvent[T any](t testing.TB, r *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	t.Helper()
	var found *T
	for _, l := range r.Logs {
		if ev, err := unpack(l); err == nil {
			if found != nil {
				t.Fatalf("more than one %T in receipt", found)
			}
			found = ev
		}
	}
	if found == nil {
		var zero T
		t.Fatalf("no %T event in receipt", zero)
	}
	return found
}

// wantRevert checks that err is a revert with exactly the typed custom error want.
func wantRevert(t testing.TB, err error, want any) {
	t.Helper()
	if err == nil {
		t.Fatalf("succeeded, want revert %T", want)
	}
	got, ok := contracts.DecodeRevert(err)
	if !ok {
		t.Fatalf("error %q is not a DataShare custom error, want %T", err, want)
	}
	if g, w := fmt.Sprintf("%T%+v", got, got), fmt.Sprintf("%T%+v", want, want); g != w {
		t.Fatalf("reverted with %s, want %s", g, w)
	}
}

func wantBig(t testing.TB, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
}

// grantedEvents returns the AccessGranted events of a receipt, in log order.
func grantedEvents(r *types.Receipt) []*contracts.DataShareAccessGranted {
	var out []*contracts.DataShareAccessGranted
	for _, l := range r.Logs {
		if ev, err := ds.UnpackAccessGrantedEvent(l); err == nil {
			out = append(out, ev)
		}
	}
	return out
}

func eth(n int64) *big.Int       { return new(big.Int).Mul(big.NewInt(n), ether) }
func milli(n int64) *big.Int     { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether/1000)) }
func add(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
func sub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
