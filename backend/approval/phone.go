package approval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/walletconnect"
)

// PhoneWallet is what Phone needs from a phone wallet connection; *walletconnect.Client has it.
type PhoneWallet interface {
	// Session is the connected session, nil when none.
	Session() *walletconnect.Session
	// SendTransaction asks the phone to sign and send, and returns the hash it reports.
	SendTransaction(ctx context.Context, tx walletconnect.Transaction) (common.Hash, error)
}

// DefaultAppearTimeout is how long Phone waits for the transaction a wallet reports to reach
// the node before it concludes that it was never sent.
const DefaultAppearTimeout = 2 * time.Minute

// maxScanBlocks bounds the search for a transaction whose answer was lost.
const maxScanBlocks = 2000

// Phone approves on the phone wallet connected through WalletConnect: the phone shows the
// transaction, the user approves there, the wallet signs and sends it, and reports its hash.
// The hash is only a claim: Phone finds the transaction on its own node, checks that it is
// the one asked for (sender, contract, calldata, value, chain), waits for the receipt and checks
// its status and req.Check. When the wallet's answer is lost (the request expired, the relay
// failed) Phone looks on the chain for the transaction before reporting the failure.
type Phone struct {
	Chain  *chain.Client
	Wallet PhoneWallet
	// Network is the network's name, for the Summary.
	Network string
	// Notify, when set, gets the Summary just before the request goes to the phone, so that
	// the UI can say what to approve there. It must not block.
	Notify func(ctx context.Context, s Summary)
	// AppearTimeout: 0 means DefaultAppearTimeout.
	AppearTimeout time.Duration
}

// Account is the phone wallet's account, zero when no wallet is connected.
func (p *Phone) Account() common.Address {
	if s := p.Wallet.Session(); s != nil {
		return s.Account
	}
	return common.Address{}
}

// Approve sends req to the phone and confirms the transaction the wallet reports on the chain.
func (p *Phone) Approve(ctx context.Context, req Request) Outcome {
	s := p.Wallet.Session()
	if s == nil || s.Account == (common.Address{}) {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: %w: connect a phone wallet first", req.Action, walletconnect.ErrNoSession)}
	}
	if s.ChainID != p.Chain.ChainID() {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: the phone wallet is connected for chain %d, not %d: connect it again", req.Action, s.ChainID, p.Chain.ChainID())}
	}
	from := s.Account
	tx := chain.Tx{From: from, To: req.To, Data: req.Data, Value: req.Value}
	est, err := p.Chain.Estimate(ctx, tx)
	if err != nil {
		return Outcome{Status: Failed, Err: err}
	}
	if p.Notify != nil {
		bal, err := p.Chain.Balance(ctx, from)
		if err != nil {
			return Outcome{Status: Failed, Err: err}
		}
		p.Notify(ctx, summary(req, from, p.Network, est, bal))
	}
	// Where the account stood before: if the answer is lost, a higher nonce says the wallet
	// sent something, and these blocks are where to look for it.
	startBlock, startNonce, markErr := p.mark(ctx, from)

	hash, err := p.Wallet.SendTransaction(ctx, walletconnect.Transaction{
		From: from, To: req.To, Data: req.Data, Value: req.Value, Gas: est.Gas, ChainID: p.Chain.ChainID(),
	})
	if err != nil {
		if errors.Is(err, walletconnect.ErrRejected) {
			return Outcome{Status: Rejected, Err: fmt.Errorf("%s: %w on the phone: %w", req.Action, ErrRejected, err)}
		}
		answerLost := errors.Is(err, walletconnect.ErrExpired) || errors.Is(err, walletconnect.ErrRelayUnavailable) ||
			errors.Is(err, walletconnect.ErrNoSession) || errors.Is(err, context.DeadlineExceeded)
		if answerLost && markErr == nil {
			if found, ferr := p.findSent(ctx, from, req, startBlock, startNonce); ferr == nil && found != (common.Hash{}) {
				return p.confirm(ctx, req, from, found)
			}
		}
		if errors.Is(err, walletconnect.ErrExpired) || errors.Is(err, context.DeadlineExceeded) {
			return Outcome{Status: Expired, Err: fmt.Errorf("%s: %w: the phone did not answer (%w)", req.Action, ErrExpired, err)}
		}
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: %w", req.Action, err)}
	}
	return p.confirm(ctx, req, from, hash)
}

// confirm treats hash as the wallet's claim: the node must know the transaction, it must be
// the approved one, and its receipt must succeed and pass req.Check.
func (p *Phone) confirm(ctx context.Context, req Request, from common.Address, hash common.Hash) Outcome {
	appear := p.AppearTimeout
	if appear <= 0 {
		appear = DefaultAppearTimeout
	}
	tx, err := p.waitKnown(ctx, hash, appear)
	if err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: %w", req.Action, err)}
	}
	if tx == nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: the phone wallet reported transaction %s, but the network has not seen it after %s: it was probably never sent. Check the wallet's activity before trying again", req.Action, hash.Hex(), appear)}
	}
	if err := p.matches(tx, req, from); err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: the phone wallet reported transaction %s, which is not the one approved: %s", req.Action, hash.Hex(), err)}
	}
	if req.Journal != nil {
		// Recorded for crash recovery (chain.Client.Resubmit), as Local does before sending. A
		// failure here loses only that: the transaction is already sent.
		if raw, err := tx.MarshalBinary(); err == nil {
			_ = req.Journal.SaveSigned(ctx, hash, raw)
		}
	}
	rcpt, err := p.Chain.WaitReceipt(ctx, hash)
	if err != nil {
		return Outcome{Status: Failed, Err: fmt.Errorf("%s: transaction %s was sent but is not confirmed yet: %w", req.Action, hash.Hex(), err)}
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return Outcome{Status: Failed, Receipt: rcpt, Err: fmt.Errorf("%s: %w (transaction %s)", req.Action, chain.ErrTxFailed, hash.Hex())}
	}
	if req.Check != nil {
		if err := req.Check(rcpt); err != nil {
			return Outcome{Status: Failed, Err: fmt.Errorf("%s: transaction %s was mined but %w", req.Action, hash.Hex(), err)}
		}
	}
	return Outcome{Status: Approved, Receipt: rcpt}
}

// matches checks a transaction against the request.
func (p *Phone) matches(tx *types.Transaction, req Request, from common.Address) error {
	chainID := new(big.Int).SetUint64(p.Chain.ChainID())
	if tx.ChainId() == nil || tx.ChainId().Cmp(chainID) != 0 {
		return fmt.Errorf("it is for chain %v", tx.ChainId())
	}
	sender, err := types.Sender(types.LatestSignerForChainID(chainID), tx)
	if err != nil {
		return fmt.Errorf("its signature: %v", err)
	}
	value := req.Value
	if value == nil {
		value = new(big.Int)
	}
	switch {
	case sender != from:
		return fmt.Errorf("it is from %s, not %s", sender.Hex(), from.Hex())
	case tx.To() == nil || *tx.To() != req.To:
		return fmt.Errorf("it is not a call to %s", req.To.Hex())
	case !bytes.Equal(tx.Data(), req.Data):
		return errors.New("its calldata differs")
	case tx.Value().Cmp(value) != 0:
		return fmt.Errorf("it sends %s wei, not %s", tx.Value(), value)
	}
	return nil
}

// waitKnown polls the node until it knows the transaction (pending or mined): nil when it does
// not within appear.
func (p *Phone) waitKnown(ctx context.Context, hash common.Hash, appear time.Duration) (*types.Transaction, error) {
	deadline := time.Now().Add(appear)
	delay := 25 * time.Millisecond
	for {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		tx, _, err := p.Chain.Eth().TransactionByHash(cctx, hash)
		cancel()
		switch {
		case err == nil:
			return tx, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case !errors.Is(err, ethereum.NotFound):
			// A node error: keep trying until the deadline.
		}
		if time.Now().After(deadline) {
			return nil, nil
		}
		t := time.NewTimer(min(delay, time.Until(deadline)+time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay = min(delay*3/2, time.Second)
	}
}

// mark reads the latest block and the account's nonce.
func (p *Phone) mark(ctx context.Context, from common.Address) (uint64, uint64, error) {
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	block, err := p.Chain.Eth().BlockNumber(cctx)
	if err != nil {
		return 0, 0, err
	}
	nonce, err := p.Chain.Eth().NonceAt(cctx, from, nil)
	return block, nonce, err
}

// findSent looks for the approved transaction when the wallet's answer was lost: if the
// account's nonce moved since startNonce, it searches the blocks since startBlock for a
// transaction from the account that matches the request, waiting (up to the appear timeout)
// for the account's pending transactions to be mined.
func (p *Phone) findSent(ctx context.Context, from common.Address, req Request, startBlock, startNonce uint64) (common.Hash, error) {
	appear := p.AppearTimeout
	if appear <= 0 {
		appear = DefaultAppearTimeout
	}
	// The caller's ctx may be what expired: the search gets time of its own.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), appear+30*time.Second)
	defer cancel()
	deadline := time.Now().Add(appear)
	eth := p.Chain.Eth()
	pending, err := eth.PendingNonceAt(sctx, from)
	if err != nil || pending <= startNonce {
		return common.Hash{}, err // the wallet sent nothing
	}
	signer := types.LatestSignerForChainID(new(big.Int).SetUint64(p.Chain.ChainID()))
	next := startBlock + 1
	delay := 25 * time.Millisecond
	for {
		// The mined nonce first, then the head: the blocks up to head then hold every
		// transaction that nonce counts (read the other way round, a block mined in between
		// would count as searched).
		mined, err := eth.NonceAt(sctx, from, nil)
		if err != nil {
			return common.Hash{}, err
		}
		head, err := eth.BlockNumber(sctx)
		if err != nil {
			return common.Hash{}, err
		}
		for ; next <= head && next <= startBlock+maxScanBlocks; next++ {
			b, err := eth.BlockByNumber(sctx, new(big.Int).SetUint64(next))
			if err != nil {
				return common.Hash{}, err
			}
			for _, tx := range b.Transactions() {
				if tx.Nonce() < startNonce {
					continue
				}
				if s, err := types.Sender(signer, tx); err == nil && s == from && p.matches(tx, req, from) == nil {
					return tx.Hash(), nil
				}
			}
		}
		if mined >= pending || time.Now().After(deadline) || next > startBlock+maxScanBlocks {
			return common.Hash{}, nil // everything the wallet sent is mined, and none matches
		}
		t := time.NewTimer(delay)
		select {
		case <-sctx.Done():
			t.Stop()
			return common.Hash{}, sctx.Err()
		case <-t.C:
		}
		delay = min(delay*3/2, time.Second)
	}
}
