package share

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/contracts"
)

// Paid access, the buyer's side: Request pays a dataset's price into the contract's escrow and
// waits for the owner's app to deliver the key (then fetches), Refund takes an unanswered escrow
// back once the refund timeout passed, Requested lists the account's pending requests.
//
// Nothing of a request lives only in this process: the chain holds it. A request interrupted
// after paying (a crash, Ctrl-C, --no-wait) is found on chain by the next Request or Fetch,
// which waits for the key rather than paying again.

// StageAwaitKey: the request is paid (in escrow) and the owner's app has not delivered the key
// yet. Request leaves it when the key is on chain.
const StageAwaitKey Stage = "await_key"

// Request states (RequestResult.State).
const (
	RequestPending   = "pending"   // paid into escrow, waiting for the owner's app
	RequestDelivered = "delivered" // the key of the version paid for is on chain
)

// RequestOptions say what Request does once it paid.
type RequestOptions struct {
	// NoWait returns once the request is paid (or found pending): the key is fetched later with
	// Fetch (datashare get) or by calling Request again.
	NoWait bool
	// Output is where the dataset is written once its key arrived ("": not fetched, only
	// waited for). Fetch's rules apply (a directory, an existing file).
	Output string
	// Fetch is how the dataset is fetched once delivered (Version is set by Request).
	Fetch FetchOptions
}

// RequestResult is what Request did.
type RequestResult struct {
	Dataset      uint64       `json:"dataset"`
	Name         string       `json:"name"`
	Owner        string       `json:"owner"`
	Account      string       `json:"account"` // the paying account
	Version      uint64       `json:"version"` // the version paid for (the current one)
	Price        string       `json:"price"`   // wei held in escrow for the request
	Paid         bool         `json:"paid"`    // this call paid; false when a pending request was found
	State        string       `json:"state"`   // RequestPending or RequestDelivered
	TxHash       string       `json:"txHash"`  // of the requestAccess transaction ("" when not found)
	TxURL        string       `json:"txUrl,omitempty"`
	RequestedAt  time.Time    `json:"requestedAt"`
	RefundableAt time.Time    `json:"refundableAt"` // from then on, Refund takes the escrow back
	Fetched      *FetchResult `json:"fetched,omitempty"`
}

// How often a waiting request reads its state from the chain: often on the local chain, which
// seals a block as soon as a transaction arrives; less on public networks (a block every few
// seconds, and RPC providers that limit calls).
var (
	pollKeyLocal  = 100 * time.Millisecond
	pollKeyRemote = 3 * time.Second
)

// afterRequestMined, when set (by tests), runs once a request's receipt is in, before Request
// reads what became of it: what the owner's app or the requester did in between.
var afterRequestMined func()

// refundError refuses a refund asked for before the contract allows it; its code is CodeRefused.
type refundError struct{ msg string }

func (e *refundError) Error() string     { return e.msg }
func (e *refundError) ErrorCode() string { return CodeRefused }

// Request asks for the key of dataset id's current version, paying exactly its price into the
// contract's escrow (one approval, whose summary shows the price, the most the fee can be and
// the balance), then waits for the owner's app to deliver the key and, with opts.Output, fetches
// the dataset. Before anything is asked it checks that the dataset exists, that it is not the
// profile's own, that the account does not hold the current version already and was not revoked,
// and that the balance covers the price; the account's encryption key is registered first when it
// is not (one more approval). A request already pending is not paid again: Request waits for it.
func (s *Service) Request(ctx context.Context, id uint64, opts RequestOptions, p Progress) (RequestResult, error) {
	if err := s.writable("Request"); err != nil {
		return RequestResult{}, err
	}
	if p == nil {
		p = NoProgress{}
	}
	p.Stage(StageLocate)
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return RequestResult{}, err
	}
	me := s.Account()
	name := s.catalogName(ctx, id)
	res := RequestResult{Dataset: id, Name: name, Owner: info.Owner.Hex(), Account: me.Hex(), Version: info.Version, Price: info.Price.String()}
	if s.isMine(ctx, info.Owner) {
		return res, invalidf("dataset %d is yours (owned by %s): you hold its key already, there is nothing to request", id, info.Owner.Hex())
	}
	acc, err := s.chain.Access(ctx, id, me)
	if err != nil {
		return res, fmt.Errorf("read the access of %s to dataset %d: %w", me.Hex(), id, err)
	}
	want := info.Version
	var mark logMark // where the request is in the contract's log
	switch {
	case acc.State == chain.AccessRevoked:
		return res, sentence(fmt.Sprintf("the owner of dataset %d revoked the access of %s: only the owner can give it again", id, me.Hex()), ErrNoAccess)
	case acc.State == chain.AccessGranted && acc.Version >= want:
		return res, invalidf("%s holds the key of version %d of dataset %d, its newest, already: fetch it with datashare get %d -o PATH", me.Hex(), acc.Version, id, id)
	case acc.Pending():
		mark = s.requestMark(ctx, id, me)
		res.TxHash = mark.tx
	default:
		if err := s.checkCanPay(ctx, id, me, info.Price); err != nil {
			return res, err
		}
		if err := s.ensureKeyRegistered(ctx); err != nil {
			return res, err
		}
		p.Stage(StageApprove)
		rcpt, err := s.sendRequest(ctx, id, name, info.Owner, info.Price)
		if err != nil {
			// The contract refused because the state changed since it was read: a request of this
			// account from elsewhere (wait for it), a key delivered or a revoke in the meantime.
			if !lostRace(err) {
				return res, err
			}
			if acc, err = s.chain.Access(ctx, id, me); err != nil {
				return res, fmt.Errorf("read the access of %s to dataset %d: %w", me.Hex(), id, err)
			}
			if acc.State == chain.AccessRevoked && acc.Version < want {
				return res, sentence(fmt.Sprintf("the owner of dataset %d revoked the access of %s: only the owner can give it again", id, me.Hex()), ErrNoAccess)
			}
			if acc.Pending() {
				mark = s.requestMark(ctx, id, me)
				res.TxHash = mark.tx
			}
			break
		}
		res.Paid, res.TxHash = true, rcpt.TxHash.Hex()
		mark = receiptMark(rcpt, id, me)
		if afterRequestMined != nil {
			afterRequestMined()
		}
		// Read once, after the receipt: the owner's app may have answered (fulfil, decline, revoke)
		// in the meantime, which requestState tells apart.
		if acc, err = s.chain.Access(ctx, id, me); err != nil {
			return res, fmt.Errorf("the request for dataset %d is paid (transaction %s), but its state could not be read (datashare request %d waits for its key, datashare requested shows it): %w",
				id, res.TxHash, id, err)
		}
		if !acc.Pending() {
			res.RequestedAt, res.RefundableAt = s.requestTimes(ctx, rcpt.BlockNumber.Uint64())
		}
	}
	if acc.Pending() {
		res.Price = acc.Escrow.String()
		res.RequestedAt, res.RefundableAt = time.Unix(int64(acc.RequestedAt), 0), time.Unix(int64(acc.RefundableAt), 0)
	}
	res.TxURL = s.network.TxURL(res.TxHash)
	pending, v, err := s.requestState(ctx, id, me, want, acc, mark)
	if err != nil {
		return res, err
	}
	res.State = RequestPending
	if !pending {
		res.Version, res.State = v, RequestDelivered // answered before this read
	}
	if opts.NoWait && res.State == RequestPending {
		return res, nil
	}
	if res.State == RequestPending {
		p.Stage(StageAwaitKey)
		v, err := s.awaitKey(ctx, id, me, want, mark)
		if err != nil {
			return res, err
		}
		res.Version, res.State = v, RequestDelivered
	}
	if opts.Output == "" {
		p.Stage(StageDone)
		return res, nil
	}
	fo := opts.Fetch
	fo.Version = res.Version
	r, err := s.Fetch(ctx, id, opts.Output, fo, p)
	if err != nil {
		return res, fmt.Errorf("the key of dataset %d was delivered, but the download did not finish (run datashare get %d -o PATH to try again): %w", id, id, err)
	}
	res.Fetched = &r
	return res, nil
}

// checkCanPay refuses, before anything is asked, a request the account cannot pay for. The
// approval's estimate checks the price plus the most the fee can be.
func (s *Service) checkCanPay(ctx context.Context, id uint64, me common.Address, price *big.Int) error {
	bal, err := s.chain.Balance(ctx, me)
	if err != nil {
		return err
	}
	if bal.Cmp(price) < 0 {
		return sentence(fmt.Sprintf("dataset %d costs %s ETH, but %s has %s ETH: add funds to the account first (the network fee comes on top)",
			id, FormatEther(price), me.Hex(), FormatEther(bal)), chain.ErrInsufficientFunds)
	}
	return nil
}

// ensureKeyRegistered registers this profile's encryption key for the account when it has none
// (the contract takes no request from an account it cannot deliver a key to). A key that is not
// this profile's is refused: a key delivered to it could not be opened here.
func (s *Service) ensureKeyRegistered(ctx context.Context) error {
	st, err := s.KeyStatus(ctx)
	if err != nil {
		return err
	}
	switch {
	case !st.Registered:
		_, err := s.RegisterKey(ctx)
		return err
	case !st.Matches:
		return sentence(st.Message, ErrNoRecipientKey)
	}
	return nil
}

// sendRequest pays price into escrow for dataset id.
func (s *Service) sendRequest(ctx context.Context, id uint64, name string, owner common.Address, price *big.Int) (*types.Receipt, error) {
	me := s.Account()
	note := fmt.Sprintf("pays %s ETH into escrow for the key of %s; it goes to %s only when the owner's app delivers the key, else you can take it back (datashare refund %d)",
		FormatEther(price), name, owner.Hex(), id)
	if price.Sign() == 0 {
		note = fmt.Sprintf("asks %s for the key of %s (free: nothing is paid but the network fee)", owner.Hex(), name)
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:  "Request access",
		Dataset: name,
		Note:    note,
		To:      s.network.Contract,
		Data:    chain.RequestAccessData(id),
		Value:   price,
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackAccessRequestedEvent(l); err == nil && l.Address == s.network.Contract && ev.Id.Uint64() == id && ev.Requester == me {
					return nil
				}
			}
			return fmt.Errorf("it records no request of %s for dataset %d", me.Hex(), id)
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return nil, fmt.Errorf("request access to %s: %w", name, err)
	}
	return out.Receipt, nil
}

// requestPending reports whether account me has a paid request for dataset id waiting for an
// answer (false when that cannot be read now).
func (s *Service) requestPending(ctx context.Context, id uint64, me common.Address) bool {
	acc, err := s.chain.Access(ctx, id, me)
	return err == nil && acc.Pending()
}

// logMark is where a request is in the contract's log: its AccessRequested event (block 0: not
// known, then the account's newest AccessRequested event stands for it).
type logMark struct {
	block uint64
	index uint
	tx    string
}

// after reports whether l comes after the mark in the log.
func (m logMark) after(l *types.Log) bool {
	return l.BlockNumber > m.block || (l.BlockNumber == m.block && l.Index > m.index)
}

// receiptMark is the mark of the AccessRequested event of me for dataset id in a receipt.
func receiptMark(r *types.Receipt, id uint64, me common.Address) logMark {
	m := logMark{block: r.BlockNumber.Uint64(), tx: r.TxHash.Hex()}
	for _, l := range r.Logs {
		if ev, err := ds.UnpackAccessRequestedEvent(l); err == nil && ev.Id.Uint64() == id && ev.Requester == me {
			m.index = l.Index
		}
	}
	return m
}

// requestMark is the mark of the account's newest request for dataset id (the zero mark when it
// cannot be read now).
func (s *Service) requestMark(ctx context.Context, id uint64, me common.Address) logMark {
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"AccessRequested"}, IDs: []uint64{id}, Others: []common.Address{me}}, s.fromBlk, ^uint64(0))
	if err != nil || len(logs) == 0 {
		return logMark{}
	}
	l := &logs[len(logs)-1]
	return logMark{block: l.BlockNumber, index: l.Index, tx: l.TxHash.Hex()}
}

// requestTimes are the time of the block a request was mined in and the time its refund becomes
// available, for a request no longer pending (zero when they cannot be read now).
func (s *Service) requestTimes(ctx context.Context, block uint64) (at, refundable time.Time) {
	at, err := s.chain.BlockTime(ctx, block)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	timeout, err := s.chain.RefundTimeout(ctx)
	if err != nil || timeout > math.MaxInt32 {
		return at, time.Time{}
	}
	return at, at.Add(time.Duration(timeout) * time.Second)
}

// lostRace reports whether the contract refused a request because the account's access changed
// after Request read it: requested from elsewhere, granted, or revoked.
func lostRace(err error) bool {
	var re *chain.RevertError
	if !errors.As(err, &re) {
		return false
	}
	switch re.Reason.(type) {
	case *contracts.DataShareAlreadyRequested, *contracts.DataShareAlreadyGranted, *contracts.DataShareRevokedByOwner:
		return true
	}
	return false
}

// requestState says where the request of me for dataset id stands, from one read of its access
// (acc, read after the request was mined): still pending, or answered with the key of version
// want or newer (that version), or ended without a key (an error saying how: declined, revoked,
// refunded). The access alone tells the three apart, whatever happened between the request and
// the read: an answer releases the escrow with the current version's key, and versions held only
// grow (a revoke keeps the version delivered before it). How a request ended comes from the
// events after it (mark).
func (s *Service) requestState(ctx context.Context, id uint64, me common.Address, want uint64, acc chain.AccessInfo, mark logMark) (pending bool, version uint64, err error) {
	switch {
	case acc.Pending():
		return true, 0, nil
	case acc.Version >= want && (acc.State == chain.AccessGranted || acc.State == chain.AccessRevoked):
		return false, acc.Version, nil
	}
	return false, 0, s.endedWithoutKey(ctx, id, me, acc, mark)
}

// awaitKey waits until account me holds the key of version want (or newer) of dataset id, reading
// its state from the chain once per poll, and returns the version it holds. A request that ends
// without a key (declined, revoked, refunded) is an error saying so; the context ends the wait.
func (s *Service) awaitKey(ctx context.Context, id uint64, me common.Address, want uint64, mark logMark) (uint64, error) {
	every := pollKeyRemote
	if s.network.Embedded {
		every = pollKeyLocal
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		acc, err := s.chain.Access(ctx, id, me)
		switch {
		case err != nil && ctx.Err() == nil && !errors.Is(err, chain.ErrUnavailable):
			return 0, fmt.Errorf("read the access of %s to dataset %d: %w", me.Hex(), id, err)
		case err != nil: // the chain is away for a moment (or the wait ends): keep waiting
		default:
			pending, v, err := s.requestState(ctx, id, me, want, acc, mark)
			if !pending {
				return v, err
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("stopped waiting for the key of dataset %d (the request stays paid: datashare request %d waits again, datashare get %d fetches once the key came): %w", id, id, id, context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// endedWithoutKey says how a request of me for dataset id ended without a key: the first answer
// after the request in the contract's log (declined or revoked: the escrow is withdrawable;
// refunded: it went back to the account). acc is the access read after it ended; it says enough
// when the log cannot be read now.
func (s *Service) endedWithoutKey(ctx context.Context, id uint64, me common.Address, acc chain.AccessInfo, mark logMark) error {
	from := max(mark.block, s.fromBlk)
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"AccessRequested", "AccessGranted", "Declined", "AccessRevoked", "Refunded"}, IDs: []uint64{id}, Others: []common.Address{me}}, from, ^uint64(0))
	if err == nil {
		if mark.block == 0 { // the request's place is not known: the newest request stands for it
			for i := range logs {
				if ev, err := ds.UnpackAccessRequestedEvent(&logs[i]); err == nil && ev.Requester == me {
					mark = logMark{block: logs[i].BlockNumber, index: logs[i].Index}
				}
			}
		}
		for i := range logs {
			l := &logs[i]
			if !mark.after(l) {
				continue
			}
			if ev, err := ds.UnpackDeclinedEvent(l); err == nil {
				return sentence(fmt.Sprintf("the owner of dataset %d declined the request of %s: the %s ETH paid are in its withdrawable balance (datashare withdraw); you may request again",
					id, me.Hex(), FormatEther(ev.Refunded)), ErrNoAccess)
			}
			if ev, err := ds.UnpackAccessRevokedEvent(l); err == nil {
				return sentence(fmt.Sprintf("the owner of dataset %d revoked the access of %s while its request waited: the %s ETH paid are in its withdrawable balance (datashare withdraw)",
					id, me.Hex(), FormatEther(ev.Refunded)), ErrNoAccess)
			}
			if ev, err := ds.UnpackRefundedEvent(l); err == nil {
				return sentence(fmt.Sprintf("the request of %s for dataset %d was refunded (%s ETH back to the account) before a key came", me.Hex(), id, FormatEther(ev.Amount)), ErrNoAccess)
			}
			if _, err := ds.UnpackAccessRequestedEvent(l); err == nil {
				break // a newer request: the one waited for ended before it, and its answer is not in the log read
			}
		}
	}
	if acc.State == chain.AccessRevoked {
		return sentence(fmt.Sprintf("the owner of dataset %d revoked the access of %s: the escrow of the request is in its withdrawable balance (datashare withdraw)", id, me.Hex()), ErrNoAccess)
	}
	return sentence(fmt.Sprintf("the request of %s for dataset %d is no longer pending and no key came (declined: the escrow is in its withdrawable balance, datashare withdraw; refunded: it is back in the account)", me.Hex(), id), ErrNoAccess)
}

// RefundResult is what Refund did.
type RefundResult struct {
	Dataset uint64 `json:"dataset"`
	Account string `json:"account"`
	Amount  string `json:"amount"` // wei sent back to the account
	TxHash  string `json:"txHash"`
	TxURL   string `json:"txUrl,omitempty"`
}

// Refund takes back the escrow of the account's request for dataset id that no key answered
// within the contract's refund timeout; the amount goes straight back to the account. Before the
// timeout it fails with a message that gives the time the refund becomes available, and nothing
// is asked. An older version the account holds stays its.
func (s *Service) Refund(ctx context.Context, id uint64) (RefundResult, error) {
	if err := s.writable("Refund"); err != nil {
		return RefundResult{}, err
	}
	if _, err := s.chainDataset(ctx, id); err != nil {
		return RefundResult{}, err
	}
	me := s.Account()
	res := RefundResult{Dataset: id, Account: me.Hex()}
	acc, err := s.chain.Access(ctx, id, me)
	if err != nil {
		return res, fmt.Errorf("read the access of %s to dataset %d: %w", me.Hex(), id, err)
	}
	if !acc.Pending() {
		return res, invalidf("%s has no pending request for dataset %d: there is nothing to refund (a refund takes back only your own unanswered payment)", me.Hex(), id)
	}
	if err := s.refundAvailable(ctx, id, acc.RefundableAt); err != nil {
		return res, err
	}
	name := s.catalogName(ctx, id)
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:  "Refund request",
		Dataset: name,
		Note:    fmt.Sprintf("takes back the %s ETH paid for %s, which no key answered in time", FormatEther(acc.Escrow), name),
		To:      s.network.Contract,
		Data:    chain.RefundData(id),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackRefundedEvent(l); err == nil && l.Address == s.network.Contract && ev.Id.Uint64() == id && ev.Requester == me {
					res.Amount = ev.Amount.String()
					return nil
				}
			}
			return fmt.Errorf("it records no refund to %s", me.Hex())
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return res, fmt.Errorf("refund the request for %s: %w", name, err)
	}
	res.TxHash = out.Receipt.TxHash.Hex()
	res.TxURL = s.network.TxURL(res.TxHash)
	return res, nil
}

// refundAvailable refuses a refund before at (unix seconds, the contract's clock), saying when it
// becomes available. The contract compares with the time of the block the refund is mined in
// (chainNow). The local chain seals a block only when a transaction arrives, so once that time has
// come a block is sealed first (an empty transfer of the chain's faucet): else the estimate would
// run at the last block's older time and be refused.
func (s *Service) refundAvailable(ctx context.Context, id uint64, at uint64) error {
	now, head, err := s.chainNow(ctx)
	if err != nil {
		return err
	}
	when := time.Unix(int64(at), 0)
	if now.Before(when) {
		return &refundError{fmt.Sprintf("the refund for dataset %d is available from %s (in %s): until then the owner's app may still deliver the key",
			id, when.UTC().Format("2006-01-02 15:04:05 UTC"), when.Sub(now).Round(time.Second))}
	}
	if !s.network.Embedded || head.Unix() >= int64(at) {
		return nil
	}
	h, err := devnet.Fund(ctx, s.network.RPCURL, devnet.FaucetAddress(), new(big.Int))
	if err != nil {
		return fmt.Errorf("seal a block on the local chain: %w", err)
	}
	r, err := s.chain.WaitReceipt(ctx, h)
	if err != nil {
		return err
	}
	// The local chain serves a block's receipts a moment before its "latest" state is that
	// block: the refund's estimate must not run at the older head.
	for deadline := time.Now().Add(10 * time.Second); ; {
		n, err := s.chain.BlockNumber(ctx)
		if err != nil {
			return err
		}
		if n >= r.BlockNumber.Uint64() {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("seal a block on the local chain: block %d was mined but the chain's head stays at %d", r.BlockNumber.Uint64(), n)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// chainNow is the time the contract would see in a transaction sent now: the later of this
// computer's clock and the latest block's time (on the local chain, which gives every block a
// time at least one second after its parent's even when transactions come faster, one second
// after it). head is the latest block's time.
func (s *Service) chainNow(ctx context.Context) (now, head time.Time, err error) {
	n, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return now, head, err
	}
	if head, err = s.chain.BlockTime(ctx, n); err != nil {
		return now, head, err
	}
	now, next := time.Now(), head
	if s.network.Embedded {
		next = head.Add(time.Second)
	}
	if next.After(now) {
		now = next
	}
	return now, head, nil
}

// RequestInfo is one of the account's pending requests.
type RequestInfo struct {
	Dataset         uint64    `json:"dataset"`
	Name            string    `json:"name"`
	Owner           string    `json:"owner"`
	Account         string    `json:"account"`
	Amount          string    `json:"amount"`  // wei in escrow
	Holds           uint64    `json:"holds"`   // an older version the account holds (0: none)
	Current         uint64    `json:"current"` // the dataset's current version
	RequestedAt     time.Time `json:"requestedAt"`
	RefundableAt    time.Time `json:"refundableAt"`
	RefundAvailable bool      `json:"refundAvailable"` // datashare refund ID works now
	TxHash          string    `json:"txHash"`
}

// Requested lists the pending requests of the profile's accounts (paid, waiting for a key), with
// when each can be refunded, from the chain; newest first.
func (s *Service) Requested(ctx context.Context) ([]RequestInfo, error) {
	accounts, err := s.accounts(ctx)
	if err != nil {
		return nil, err
	}
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"AccessRequested"}, Others: accounts}, s.fromBlk, ^uint64(0))
	if err != nil {
		return nil, fmt.Errorf("read your requests from the chain: %w", err)
	}
	type key struct {
		id uint64
		a  common.Address
	}
	last := map[key]*types.Log{}
	var order []key
	for i := range logs {
		ev, err := ds.UnpackAccessRequestedEvent(&logs[i])
		if err != nil {
			continue
		}
		k := key{ev.Id.Uint64(), ev.Requester}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = &logs[i]
	}
	out := []RequestInfo{}
	now, _, err := s.chainNow(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(order) - 1; i >= 0; i-- {
		k := order[i]
		acc, err := s.chain.Access(ctx, k.id, k.a)
		if err != nil {
			return nil, fmt.Errorf("read the access of %s to dataset %d: %w", k.a.Hex(), k.id, err)
		}
		if !acc.Pending() {
			continue
		}
		info, err := s.chainDataset(ctx, k.id)
		if err != nil {
			return nil, err
		}
		r := RequestInfo{Dataset: k.id, Name: s.catalogName(ctx, k.id), Owner: info.Owner.Hex(), Account: k.a.Hex(), Amount: acc.Escrow.String(),
			Holds: acc.Version, Current: info.Version, RequestedAt: time.Unix(int64(acc.RequestedAt), 0),
			RefundableAt: time.Unix(int64(acc.RefundableAt), 0), TxHash: last[k].TxHash.Hex()}
		r.RefundAvailable = !now.Before(r.RefundableAt)
		out = append(out, r)
	}
	return out, nil
}
