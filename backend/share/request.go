package share

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/walletconnect"
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
	switch {
	case acc.State == chain.AccessRevoked:
		return res, sentence(fmt.Sprintf("the owner of dataset %d revoked the access of %s: only the owner can give it again", id, me.Hex()), ErrNoAccess)
	case acc.State == chain.AccessGranted && acc.Version >= info.Version:
		return res, invalidf("%s holds the key of version %d of dataset %d, its newest, already: fetch it with datashare get %d -o PATH", me.Hex(), acc.Version, id, id)
	case acc.Pending():
		res.Price = acc.Escrow.String()
		res.RequestedAt, res.RefundableAt = time.Unix(int64(acc.RequestedAt), 0), time.Unix(int64(acc.RefundableAt), 0)
		res.TxHash = s.requestTx(ctx, id, me)
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
			return res, err
		}
		res.Paid, res.TxHash = true, rcpt.TxHash.Hex()
		if acc, err = s.chain.Access(ctx, id, me); err != nil {
			return res, fmt.Errorf("read the access of %s to dataset %d: %w", me.Hex(), id, err)
		}
		res.RequestedAt, res.RefundableAt = time.Unix(int64(acc.RequestedAt), 0), time.Unix(int64(acc.RefundableAt), 0)
		if !acc.Pending() && !(acc.State == chain.AccessGranted && acc.Version >= info.Version) {
			return res, fmt.Errorf("the request for dataset %d was mined but the contract records no pending request of %s", id, me.Hex())
		}
	}
	res.TxURL = s.network.TxURL(res.TxHash)
	res.State = RequestPending
	if acc.State == chain.AccessGranted && acc.Version >= info.Version {
		res.State = RequestDelivered // answered in the same block, or before this read
	}
	if opts.NoWait && res.State == RequestPending {
		return res, nil
	}
	if res.State == RequestPending {
		p.Stage(StageAwaitKey)
		v, err := s.awaitKey(ctx, id, me, info.Version)
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

// requestTx is the hash of the transaction of the account's newest request for dataset id (""
// when it cannot be read now).
func (s *Service) requestTx(ctx context.Context, id uint64, me common.Address) string {
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"AccessRequested"}, IDs: []uint64{id}, Others: []common.Address{me}}, s.fromBlk, ^uint64(0))
	if err != nil || len(logs) == 0 {
		return ""
	}
	return logs[len(logs)-1].TxHash.Hex()
}

// awaitKey waits until account me holds the key of version want (or newer) of dataset id, reading
// its state from the chain, and returns the version it holds. A request that ends without a key
// (declined, revoked, refunded) is an error saying so; the context ends the wait.
func (s *Service) awaitKey(ctx context.Context, id uint64, me common.Address, want uint64) (uint64, error) {
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
		case err != nil: // the chain is away for a moment: keep waiting
		case acc.Version >= want && acc.State == chain.AccessGranted:
			return acc.Version, nil
		case acc.State == chain.AccessRevoked:
			return 0, sentence(fmt.Sprintf("the owner of dataset %d revoked the access of %s: the escrow of the request is in its withdrawable balance (datashare withdraw)", id, me.Hex()), ErrNoAccess)
		case !acc.Pending():
			return 0, s.endedWithoutKey(ctx, id, me)
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("stopped waiting for the key of dataset %d (the request stays paid: datashare request %d waits again, datashare get %d fetches once the key came): %w", id, id, id, context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// endedWithoutKey says how a request of me for dataset id ended without a key: declined (the
// escrow is withdrawable) or refunded.
func (s *Service) endedWithoutKey(ctx context.Context, id uint64, me common.Address) error {
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"Declined", "Refunded"}, IDs: []uint64{id}, Others: []common.Address{me}}, s.fromBlk, ^uint64(0))
	if err == nil && len(logs) > 0 {
		l := &logs[len(logs)-1]
		if ev, err := ds.UnpackDeclinedEvent(l); err == nil {
			return sentence(fmt.Sprintf("the owner of dataset %d declined the request of %s: the %s ETH paid are in its withdrawable balance (datashare withdraw); you may request again",
				id, me.Hex(), FormatEther(ev.Refunded)), ErrNoAccess)
		}
		if ev, err := ds.UnpackRefundedEvent(l); err == nil {
			return sentence(fmt.Sprintf("the request of %s for dataset %d was refunded (%s ETH back to the account) before a key came", me.Hex(), id, FormatEther(ev.Amount)), ErrNoAccess)
		}
	}
	return sentence(fmt.Sprintf("the request of %s for dataset %d is no longer pending and no key came", me.Hex(), id), ErrNoAccess)
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
	_, err = s.chain.WaitReceipt(ctx, h)
	return err
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
