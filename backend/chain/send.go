package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Tx is a call to send: To is the DataShare contract for DataShare calls, Data its calldata
// (from contracts.DataShare's Pack… methods), Value the wei paid with it (nil for none).
type Tx struct {
	From  common.Address
	To    common.Address
	Data  []byte
	Value *big.Int
}

// Estimate is what a transaction will use and cost at most.
type Estimate struct {
	// Gas is the gas limit to send with: eth_estimateGas plus a safety margin.
	Gas uint64
	// GasPrice is the max fee per gas (EIP-1559 maxFeePerGas): tip + 2 × base fee.
	GasPrice *big.Int
	// Tip is the max priority fee per gas (EIP-1559 maxPriorityFeePerGas).
	Tip *big.Int
	// Fee is Gas × GasPrice: the most the transaction can cost in fees. It usually costs far less
	// (gas used × (base fee + tip)).
	Fee *big.Int
}

// Journal persists signed transactions before they are sent, so that a crash cannot lose a
// transaction the chain has seen but the caller has not recorded. SaveSigned must return only once
// the bytes are durable. A SignAndSend may call it more than once, when the node refuses the
// first signing with "nonce too low": the last one saved is the one sent.
type Journal interface {
	SaveSigned(ctx context.Context, hash common.Hash, raw []byte) error
}

// gasMargin is the margin added to eth_estimateGas, in percent.
const gasMargin = 20

// Estimate simulates tx at the latest block and prices it. A revert gives *RevertError; an
// account that cannot pay value + fee gives ErrInsufficientFunds (*FundsError).
func (c *Client) Estimate(ctx context.Context, tx Tx) (Estimate, error) {
	value := tx.Value
	if value == nil {
		value = new(big.Int)
	}
	to := tx.To
	msg := ethereum.CallMsg{From: tx.From, To: &to, Data: tx.Data, Value: value}
	cctx, cancel := c.callCtx(ctx)
	defer cancel()

	gas, err := c.eth.EstimateGas(cctx, msg)
	if err != nil {
		if re := revertFrom(err); re != nil {
			return Estimate{}, re
		}
		if isFundsErr(err) {
			bal, berr := c.Balance(ctx, tx.From)
			if berr != nil {
				return Estimate{}, fmt.Errorf("%w: %s cannot pay %s", ErrInsufficientFunds, tx.From.Hex(), FormatEther(value))
			}
			return Estimate{}, &FundsError{Account: tx.From, Balance: bal, Need: value}
		}
		return Estimate{}, c.netErr(ctx, "estimate gas", err)
	}
	gas += gas * gasMargin / 100

	tip, maxFee, err := c.fees(ctx)
	if err != nil {
		return Estimate{}, err
	}
	est := Estimate{Gas: gas, GasPrice: maxFee, Tip: tip, Fee: new(big.Int).Mul(maxFee, new(big.Int).SetUint64(gas))}

	bal, err := c.Balance(ctx, tx.From)
	if err != nil {
		return Estimate{}, err
	}
	if need := new(big.Int).Add(value, est.Fee); bal.Cmp(need) < 0 {
		return est, &FundsError{Account: tx.From, Balance: bal, Need: need}
	}
	return est, nil
}

// fees returns the tip (eth_maxPriorityFeePerGas) and the max fee (tip + 2 × base fee).
func (c *Client) fees(ctx context.Context) (tip, maxFee *big.Int, err error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	head, err := c.eth.HeaderByNumber(cctx, nil)
	if err != nil {
		return nil, nil, c.netErr(ctx, "latest block", err)
	}
	tip, err = c.eth.SuggestGasTipCap(cctx)
	if err != nil {
		return nil, nil, c.netErr(ctx, "eth_maxPriorityFeePerGas", err)
	}
	baseFee := head.BaseFee
	if baseFee == nil { // a chain without EIP-1559
		baseFee = new(big.Int)
	}
	maxFee = new(big.Int).Add(tip, new(big.Int).Mul(baseFee, big.NewInt(2)))
	return tip, maxFee, nil
}

// nonceState is the nonce counter of one account.
type nonceState struct {
	mu       sync.Mutex
	next     uint64
	valid    bool // next is known; false: read it from the node before the next send
	inflight int  // sent transactions still waiting for their receipt
}

func (c *Client) nonceOf(a common.Address) *nonceState {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.nonces[a]
	if n == nil {
		n = &nonceState{}
		c.nonces[a] = n
	}
	return n
}

// sync reads the account's next nonce from the node. Called with n.mu held.
func (c *Client) syncNonce(ctx context.Context, a common.Address, n *nonceState) error {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	next, err := c.eth.PendingNonceAt(cctx, a)
	if err != nil {
		n.valid = false
		return c.netErr(ctx, "nonce of "+a.Hex(), err)
	}
	n.next, n.valid = next, true
	return nil
}

// SignAndSend signs tx with key (its address must be tx.From, or tx.From zero), journals it, sends
// it and waits for its receipt. The gas limit is est.Gas, the fees est.GasPrice and est.Tip (a zero
// est is estimated here). Status 0 returns the receipt and an error matching ErrTxFailed, which
// wraps the *RevertError found by re-running the call at the block before, when there is one.
func (c *Client) SignAndSend(ctx context.Context, key *ecdsa.PrivateKey, tx Tx, est Estimate, j Journal) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	if tx.From == (common.Address{}) {
		tx.From = from
	} else if tx.From != from {
		return nil, fmt.Errorf("send: the key is for %s, not %s", from.Hex(), tx.From.Hex())
	}
	if tx.Value == nil {
		tx.Value = new(big.Int)
	}
	if est.Gas == 0 || est.GasPrice == nil {
		var err error
		if est, err = c.Estimate(ctx, tx); err != nil {
			return nil, err
		}
	}
	if est.Tip == nil || est.Tip.Cmp(est.GasPrice) > 0 {
		est.Tip = new(big.Int).Set(est.GasPrice)
	}

	n := c.nonceOf(from)
	signed, err := c.signAndSubmit(ctx, key, tx, est, j, n)
	if err != nil {
		return nil, err
	}
	defer func() {
		n.mu.Lock()
		n.inflight--
		n.mu.Unlock()
	}()

	// Followed with the key: a transaction stuck under a low fee is re-signed with higher fees.
	return c.follow(ctx, signed, from, Follow{Key: key, Journal: j}, true)
}

// signAndSubmit takes a nonce, signs, journals and sends. On success the transaction counts as in
// flight for the account until the caller decrements n.inflight.
func (c *Client) signAndSubmit(ctx context.Context, key *ecdsa.PrivateKey, tx Tx, est Estimate, j Journal, n *nonceState) (*types.Transaction, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	// With nothing of ours in flight the node's pending nonce is authoritative: it follows
	// transactions sent by other programs and a chain that lost blocks.
	if !n.valid || n.inflight == 0 {
		if err := c.syncNonce(ctx, tx.From, n); err != nil {
			return nil, err
		}
	}
	const attempts = 3
	for attempt := 1; ; attempt++ {
		to := tx.To
		signed, err := c.signJournaled(ctx, key, &types.DynamicFeeTx{
			Nonce: n.next, GasTipCap: est.Tip, GasFeeCap: est.GasPrice, Gas: est.Gas,
			To: &to, Value: tx.Value, Data: tx.Data,
		}, j)
		if err != nil {
			return nil, err
		}
		err = c.sendRaw(ctx, signed)
		switch {
		case err == nil || isKnown(err):
			n.next++
			n.inflight++
			return signed, nil
		case isNonceTaken(err) && attempt < attempts:
			// The node has more transactions from this account than we counted (another
			// program, or a chain restart re-adding its journaled transactions): re-read.
			if err := c.syncNonce(ctx, tx.From, n); err != nil {
				return nil, err
			}
			continue
		}
		n.valid = false
		if isFundsErr(err) {
			need := new(big.Int).Add(tx.Value, est.Fee)
			if bal, berr := c.Balance(ctx, tx.From); berr == nil {
				return nil, &FundsError{Account: tx.From, Balance: bal, Need: need}
			}
			return nil, fmt.Errorf("%w: %s cannot pay %s", ErrInsufficientFunds, tx.From.Hex(), FormatEther(need))
		}
		if re := revertFrom(err); re != nil {
			return nil, re
		}
		return nil, c.netErr(ctx, "send transaction", err)
	}
}

func (c *Client) sendRaw(ctx context.Context, tx *types.Transaction) error {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	return c.eth.SendTransaction(cctx, tx)
}

// failure explains a mined transaction with status 0.
func (c *Client) failure(ctx context.Context, tx Tx, signed *types.Transaction, rcpt *types.Receipt) error {
	hash := signed.Hash().Hex()
	if rcpt.GasUsed >= signed.Gas() {
		return fmt.Errorf("%w: it ran out of gas (limit %d) (transaction %s)", ErrTxFailed, signed.Gas(), hash)
	}
	// Re-run the call on the state before its block to learn the reason.
	if rcpt.BlockNumber != nil && rcpt.BlockNumber.Sign() > 0 {
		to := tx.To
		msg := ethereum.CallMsg{From: tx.From, To: &to, Data: tx.Data, Value: tx.Value, Gas: signed.Gas()}
		cctx, cancel := c.callCtx(ctx)
		_, err := c.eth.CallContract(cctx, msg, new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1)))
		cancel()
		if re := revertFrom(err); re != nil {
			return fmt.Errorf("%w: %w (transaction %s)", ErrTxFailed, re, hash)
		}
	}
	return fmt.Errorf("%w (transaction %s)", ErrTxFailed, hash)
}

// Receipt polling: the dev chain seals in milliseconds, public chains every few seconds.
const (
	pollFirst = 25 * time.Millisecond
	pollMax   = time.Second
)

// WaitReceipt polls for the transaction's receipt until it is mined, ctx ends, or DefaultMaxWait
// passed (ErrPending): first every 25 ms, backing off to once a second. Failures to reach the node
// are retried; if they last longer than a call timeout it gives up with ErrUnavailable. The
// receipt's status is not checked.
func (c *Client) WaitReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	start := time.Now()
	delay := pollFirst
	var failingSince time.Time
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for {
		r, err := c.receipt(ctx, hash)
		switch {
		case err == nil && r != nil:
			return r, nil
		case err == nil:
			failingSince = time.Time{}
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, ErrUnavailable):
			if failingSince.IsZero() {
				failingSince = time.Now()
			} else if time.Since(failingSince) > c.timeout {
				return nil, err
			}
		default:
			return nil, err
		}
		if time.Since(start) > c.maxWait {
			return nil, fmt.Errorf("%w: transaction %s is not mined after %s", ErrPending, hash.Hex(), c.maxWait.Round(time.Second))
		}
		timer.Reset(delay)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
		}
		delay = min(delay*3/2, pollMax)
	}
}

// receipt returns the receipt, nil if the node does not have it (yet).
func (c *Client) receipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	r, err := c.eth.TransactionReceipt(cctx, hash)
	if err == nil {
		return r, nil
	}
	if errors.Is(err, ethereum.NotFound) || strings.Contains(err.Error(), "indexing is in progress") {
		return nil, nil
	}
	return nil, c.netErr(ctx, "receipt of "+hash.Hex(), err)
}

// Resubmit recovers a journaled transaction: Track without a key (a stuck transaction is waited
// for, not re-signed).
func (c *Client) Resubmit(ctx context.Context, raw []byte) (*types.Receipt, error) {
	return c.Track(ctx, raw, Follow{})
}

// Bounds of following one transaction, when Follow leaves them zero.
const (
	// DefaultMaxWait is how long a transaction is waited for before ErrPending.
	DefaultMaxWait = 3 * time.Minute
	// DefaultStuckAfter is how long a transaction may stay pending before it is re-signed with
	// higher fees (when the key is at hand).
	DefaultStuckAfter = 45 * time.Second
)

// Follow says how Track sees a journaled transaction through.
type Follow struct {
	// Earlier are the hashes of earlier signings of the same transaction (the same nonce, lower
	// fees): if one of them is mined, its receipt is the answer.
	Earlier []common.Hash
	// Key is the sender's key. With it, a transaction still pending after StuckAfter is signed
	// again with the same nonce and fees raised by at least the 10 % nodes require, journaled,
	// and sent. Without it, it is waited for.
	Key *ecdsa.PrivateKey
	// Journal receives each re-signed transaction before it is sent.
	Journal Journal
	// Look only: nothing is sent. A transaction neither mined nor replaced gives ErrPending when
	// the node's pool holds it, ErrDropped when not.
	Look bool
	// MaxWait bounds the whole wait (DefaultMaxWait when 0); StuckAfter is DefaultStuckAfter
	// when 0.
	MaxWait, StuckAfter time.Duration
}

// Track recovers a journaled transaction, within a bounded time:
//   - mined: its receipt (status 0: the receipt and ErrTxFailed with the decoded revert reason);
//   - its nonce used by another transaction of the account: ErrReplaced;
//   - not in the node's pool and its nonce free (dropped, or never sent): sent again;
//   - pending longer than f.StuckAfter: re-signed with higher fees when f.Key is set;
//   - still pending after f.MaxWait: ErrPending.
//
// Track an account's transactions oldest first: one whose nonce is ahead of the account's next
// nonce gives ErrNonceGap.
func (c *Client) Track(ctx context.Context, raw []byte, f Follow) (*types.Receipt, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		return nil, fmt.Errorf("resubmit: not a signed transaction: %w", err)
	}
	hash := tx.Hash()
	if tx.Protected() && (!tx.ChainId().IsUint64() || tx.ChainId().Uint64() != c.chainID) {
		return nil, fmt.Errorf("%w: transaction %s is for chain id %s, not %d", ErrWrongNetwork, hash.Hex(), tx.ChainId(), c.chainID)
	}
	from, err := types.Sender(c.signer, tx)
	if err != nil {
		return nil, fmt.Errorf("resubmit %s: %w", hash.Hex(), err)
	}
	if f.Key != nil && crypto.PubkeyToAddress(f.Key.PublicKey) != from {
		f.Key = nil // not the sender's: it cannot re-sign
	}
	defer func() {
		n := c.nonceOf(from)
		n.mu.Lock()
		n.valid = false // whatever happened, read the nonce again before the next send
		n.mu.Unlock()
	}()
	return c.follow(ctx, tx, from, f, false)
}

// follow sees tx through (see Track); sent tells that it was just sent.
func (c *Client) follow(ctx context.Context, tx *types.Transaction, from common.Address, f Follow, sent bool) (*types.Receipt, error) {
	maxWait, stuckAfter := f.MaxWait, f.StuckAfter
	if maxWait <= 0 {
		maxWait = c.maxWait
	}
	if stuckAfter <= 0 {
		stuckAfter = DefaultStuckAfter
	}
	start := time.Now()
	pendingSince := start
	earlier := append([]common.Hash(nil), f.Earlier...)
	delay := pollFirst
	var lastErr error // a transient failure to reach the node, retried until maxWait
	for {
		r, err := c.receiptOfAny(ctx, tx.Hash(), earlier)
		if r != nil {
			return c.resubmitted(ctx, tx, from, r)
		}
		if err == nil {
			err = c.step(ctx, &tx, from, f, &sent, &pendingSince, stuckAfter, &earlier)
		}
		switch {
		case err == nil:
			lastErr = nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, ErrUnavailable):
			lastErr = err
		default:
			return nil, err
		}
		if f.Look && lastErr == nil {
			return nil, fmt.Errorf("%w: transaction %s (nonce %d) is waiting in the node's pool", ErrPending, tx.Hash().Hex(), tx.Nonce())
		}
		if time.Since(start) > maxWait {
			if lastErr != nil {
				return nil, lastErr
			}
			return nil, fmt.Errorf("%w: transaction %s (nonce %d) is not mined after %s", ErrPending, tx.Hash().Hex(), tx.Nonce(), maxWait.Round(time.Second))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*3/2, pollMax)
	}
}

// step looks at an unmined transaction once: replaced, dropped (sent again), stuck (re-signed).
func (c *Client) step(ctx context.Context, txp **types.Transaction, from common.Address, f Follow, sent *bool, pendingSince *time.Time, stuckAfter time.Duration, earlier *[]common.Hash) error {
	tx := *txp
	cctx, cancel := c.callCtx(ctx)
	mined, err := c.eth.NonceAt(cctx, from, nil)
	cancel()
	if err != nil {
		return c.netErr(ctx, "nonce of "+from.Hex(), err)
	}
	if mined > tx.Nonce() {
		// Mined meanwhile, or replaced: only a receipt tells.
		if r, err := c.receiptOfAny(ctx, tx.Hash(), *earlier); err != nil || r != nil {
			return err // a receipt is picked up by the caller's next look
		}
		return fmt.Errorf("%w: transaction %s can no longer be mined: another transaction from %s used its nonce %d", ErrReplaced, tx.Hash().Hex(), from.Hex(), tx.Nonce())
	}
	inPool := *sent
	if !inPool {
		cctx, cancel := c.callCtx(ctx)
		_, pending, err := c.eth.TransactionByHash(cctx, tx.Hash())
		cancel()
		switch {
		case err == nil:
			inPool = pending
		case !errors.Is(err, ethereum.NotFound):
			return c.netErr(ctx, "transaction "+tx.Hash().Hex(), err)
		}
	}
	*sent = false // from now on, look at the pool each time
	if !inPool {
		if f.Look {
			return fmt.Errorf("%w: transaction %s (nonce %d) is neither on chain nor in the node's pool: resume sends it again", ErrDropped, tx.Hash().Hex(), tx.Nonce())
		}
		n := c.nonceOf(from)
		n.mu.Lock()
		err := c.resend(ctx, tx, from)
		n.mu.Unlock()
		if errors.Is(err, ErrReplaced) {
			// The node has another transaction with this nonce: mined, or an earlier signing
			// still pending. Only the account's mined nonce and the receipts tell, next look.
			return nil
		}
		if err != nil {
			return err
		}
		*sent, *pendingSince = true, time.Now()
		return nil
	}
	if f.Key == nil || f.Look || time.Since(*pendingSince) < stuckAfter {
		return nil
	}
	bumped, err := c.bump(ctx, f.Key, tx, f.Journal)
	if errors.Is(err, ErrReplaced) {
		*pendingSince = time.Now() // not again at once
		return nil                 // mined meanwhile, or refused: the next look tells
	}
	if err != nil {
		return err
	}
	*earlier = append(*earlier, tx.Hash())
	*txp, *sent, *pendingSince = bumped, true, time.Now()
	return nil
}

// bump signs tx again with the same nonce and fees raised enough for the node to replace it
// (at least 10 % more tip and fee cap) and to be mined now, journals it, and sends it.
func (c *Client) bump(ctx context.Context, key *ecdsa.PrivateKey, tx *types.Transaction, j Journal) (*types.Transaction, error) {
	tip, maxFee, err := c.fees(ctx)
	if err != nil {
		return nil, err
	}
	raise := func(old *big.Int) *big.Int { // old × 1.1, rounded up, plus one
		v := new(big.Int).Mul(old, big.NewInt(110))
		v.Add(v, big.NewInt(99)).Div(v, big.NewInt(100))
		return v.Add(v, big.NewInt(1))
	}
	newTip := bigMax(raise(tx.GasTipCap()), tip)
	newCap := bigMax(raise(tx.GasFeeCap()), maxFee, newTip)
	signed, err := c.signJournaled(ctx, key, &types.DynamicFeeTx{
		Nonce: tx.Nonce(), GasTipCap: newTip, GasFeeCap: newCap,
		Gas: tx.Gas(), To: tx.To(), Value: tx.Value(), Data: tx.Data(),
	}, j)
	if err != nil {
		return nil, err
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	n := c.nonceOf(from)
	n.mu.Lock()
	err = c.resend(ctx, signed, from)
	n.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("send transaction %s with higher fees in place of %s: %w", signed.Hash().Hex(), tx.Hash().Hex(), err)
	}
	return signed, nil
}

// signJournaled signs tx (for this chain) and, when j is set, journals it before anyone can
// send it.
func (c *Client) signJournaled(ctx context.Context, key *ecdsa.PrivateKey, tx *types.DynamicFeeTx, j Journal) (*types.Transaction, error) {
	tx.ChainID = new(big.Int).SetUint64(c.chainID)
	signed, err := types.SignNewTx(key, c.signer, tx)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	if j != nil {
		if err := j.SaveSigned(ctx, signed.Hash(), raw); err != nil {
			return nil, fmt.Errorf("journal transaction %s: %w", signed.Hash().Hex(), err)
		}
	}
	return signed, nil
}

func bigMax(v ...*big.Int) *big.Int {
	m := v[0]
	for _, x := range v[1:] {
		if x.Cmp(m) > 0 {
			m = x
		}
	}
	return new(big.Int).Set(m)
}

// receiptOfAny returns the receipt of hash or of one of earlier, nil if none is mined.
func (c *Client) receiptOfAny(ctx context.Context, hash common.Hash, earlier []common.Hash) (*types.Receipt, error) {
	for _, h := range append([]common.Hash{hash}, earlier...) {
		r, err := c.receipt(ctx, h)
		if err != nil || r != nil {
			return r, err
		}
	}
	return nil, nil
}

// resend sends a journaled transaction again. Called with the account's nonce lock held.
func (c *Client) resend(ctx context.Context, tx *types.Transaction, from common.Address) error {
	hash := tx.Hash().Hex()
	cctx, cancel := c.callCtx(ctx)
	pending, err := c.eth.PendingNonceAt(cctx, from)
	cancel()
	if err != nil {
		return c.netErr(ctx, "nonce of "+from.Hex(), err)
	}
	if tx.Nonce() > pending {
		return fmt.Errorf("%w: transaction %s has nonce %d but %s's next nonce is %d", ErrNonceGap, hash, tx.Nonce(), from.Hex(), pending)
	}
	err = c.sendRaw(ctx, tx)
	switch {
	case err == nil || isKnown(err):
		return nil
	case isNonceTaken(err):
		// Mined meanwhile, or replaced: only a receipt tells.
		if r, rerr := c.receipt(ctx, tx.Hash()); rerr == nil && r != nil {
			return nil
		}
		return fmt.Errorf("%w: transaction %s can no longer be mined: another transaction from %s used its nonce %d", ErrReplaced, hash, from.Hex(), tx.Nonce())
	case isFundsErr(err):
		need := new(big.Int).Add(tx.Value(), new(big.Int).Mul(tx.GasFeeCap(), new(big.Int).SetUint64(tx.Gas())))
		if bal, berr := c.Balance(ctx, from); berr == nil {
			if bal.Cmp(need) >= 0 {
				// The node's pool has not yet caught up with a new block: retried.
				return fmt.Errorf("%w: the node refused transaction %s for lack of funds %s has (its pool is behind the chain)", ErrUnavailable, hash, from.Hex())
			}
			return &FundsError{Account: from, Balance: bal, Need: need}
		}
		return fmt.Errorf("%w: %s cannot pay for transaction %s", ErrInsufficientFunds, from.Hex(), hash)
	}
	return c.netErr(ctx, "resend transaction "+hash, err)
}

func (c *Client) resubmitted(ctx context.Context, tx *types.Transaction, from common.Address, r *types.Receipt) (*types.Receipt, error) {
	if r.Status == types.ReceiptStatusSuccessful {
		return r, nil
	}
	var to common.Address
	if tx.To() != nil {
		to = *tx.To()
	}
	return r, c.failure(ctx, Tx{From: from, To: to, Data: tx.Data(), Value: tx.Value()}, tx, r)
}

// Node error messages (go-ethereum's txpool and state transition; other clients use the same words).
func isKnown(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "already known") || strings.Contains(s, "known transaction") ||
		strings.Contains(s, "already imported")
}

func isNonceTaken(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "nonce too low") || strings.Contains(s, "replacement transaction underpriced") ||
		strings.Contains(s, "nonce has already been used")
}

func isFundsErr(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "insufficient funds")
}
