package share

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/contracts"
)

// Automatic fulfilment: while a profile runs (datashare serve, or the desktop app), the access
// requests to its account's datasets are answered with `fulfil`, signed by the device key: on
// the local chain the device key is the account; with a phone wallet it acts as the account's
// operator (datashare operator enable). Which requests are answered is the dataset's policy
// (policy.go): paid ones by default, free ones only when the owner opted in.
//
// State comes from the chain, not from memory: on start the engine reads every AccessRequested
// event of the account since the contract's deployment, so requests made while the profile was
// off are answered too; then it follows new blocks. Each answer is journaled in the index
// (index.Fulfil) before its transaction is sent: after a crash between sending and the receipt,
// the journaled transaction is followed (sent again if the chain lost it), never signed a second
// time. An answer the contract refuses because the request was refunded, declined or answered
// meanwhile (NoPendingRequest) is recorded as gone and not tried again. Answers are sent by
// several workers at once; the chain client hands out the device key's nonces in order.

// Kinds of FulfilEvent.
const (
	FulfilFulfilled  = "fulfilled"   // a request was answered: the requester holds the key
	FulfilGone       = "gone"        // the request was refunded, declined or answered otherwise: nothing sent
	FulfilFailed     = "failed"      // an answer failed; it is tried again later
	FulfilWaiting    = "waiting"     // a request waits for the owner (datashare grant / decline): its policy is manual
	FulfilNeedsFunds = "needs_funds" // the device key cannot pay the network fee: TopUpURI tops it up
	FulfilNoOperator = "no_operator" // the account is a phone wallet that has not made the device key its operator
)

// FulfilEvent is one thing the fulfilment engine did or could not do.
type FulfilEvent struct {
	Kind      string    `json:"kind"`
	Dataset   uint64    `json:"dataset,omitempty"`
	Requester string    `json:"requester,omitempty"`
	Amount    string    `json:"amount,omitempty"` // wei in escrow
	TxHash    string    `json:"txHash,omitempty"`
	GasUsed   uint64    `json:"gasUsed,omitempty"`
	Message   string    `json:"message"`            // for people
	TopUpURI  string    `json:"topUpUri,omitempty"` // EIP-681 payment to the device key (needs_funds)
	Time      time.Time `json:"time"`
}

// FulfilOptions configure StartFulfilment.
type FulfilOptions struct {
	// Interval is how often the chain head is looked at: 0 means 100 ms on the local chain
	// (blocks are sealed at once) and 2 s on other networks.
	Interval time.Duration
	// Workers is how many answers may be in flight at once (0: 16).
	Workers int
	// Log receives a line for each event (nil: none).
	Log *slog.Logger
	// OnEvent receives each event; it must not block.
	OnEvent func(FulfilEvent)
}

// FulfilStatus is what the engine is doing, for status displays.
type FulfilStatus struct {
	Running   bool   `json:"running"`
	Account   string `json:"account"`
	Device    string `json:"device"`
	Answered  int    `json:"answered"` // requests answered since it started
	Waiting   int    `json:"waiting"`  // requests left for the owner to answer by hand
	NeedsFund string `json:"needsFunds,omitempty"`
	TopUpURI  string `json:"topUpUri,omitempty"`
	Operator  string `json:"operator,omitempty"` // why the device key cannot answer for the account, when it cannot
}

// afterFulfilJournaled, when set (tests), is called once an answer's signed transaction is on
// disk, before it is sent; an error stops the answer there, as a crash would.
var afterFulfilJournaled func(raw []byte) error

// fulfilRun is the running engine of a Service.
type fulfilRun struct {
	s      *Service
	opts   FulfilOptions
	stop   context.CancelFunc
	done   chan struct{}
	wg     sync.WaitGroup
	sem    chan struct{}
	device common.Address

	mu      sync.Mutex
	account common.Address
	scanned uint64 // the last block read for requests (0: none yet)
	cands   map[reqKey]*candidate
	keys    map[[2]uint64]*seal.DatasetKey // (dataset, version) → the dataset key, opened once
	status  FulfilStatus
}

type reqKey struct {
	id        uint64
	requester common.Address
}

// candidate is a request that may be pending, found in the chain's events.
type candidate struct {
	reqTx  common.Hash
	block  uint64 // of the request's event
	amount *big.Int
	busy   bool      // a worker answers it now
	next   time.Time // not tried before
	fails  int
	noted  string // the kind of the last event emitted for it, so each is emitted once
}

// StartFulfilment starts answering the access requests to the current account's datasets in
// the background, until Close. Calling it again does nothing.
func (s *Service) StartFulfilment(opts FulfilOptions) error {
	if err := s.writable("StartFulfilment"); err != nil {
		return err
	}
	s.jobsMu.Lock()
	defer s.jobsMu.Unlock()
	if s.fulfil != nil {
		return nil
	}
	if opts.Interval <= 0 {
		opts.Interval = 2 * time.Second
		if s.network.Embedded {
			opts.Interval = 100 * time.Millisecond
		}
	}
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &fulfilRun{s: s, opts: opts, stop: cancel, done: make(chan struct{}), sem: make(chan struct{}, opts.Workers),
		device: s.keys.DeviceAddress(), cands: map[reqKey]*candidate{}, keys: map[[2]uint64]*seal.DatasetKey{}}
	f.status = FulfilStatus{Running: true, Device: f.device.Hex()}
	s.fulfil = f
	go f.run(ctx)
	return nil
}

// stopFulfilment stops the engine and waits for its answers in flight (Close).
func (s *Service) stopFulfilment() {
	s.jobsMu.Lock()
	f := s.fulfil
	s.jobsMu.Unlock()
	if f != nil {
		f.stop()
		<-f.done
	}
}

// FulfilStatus reports what the engine is doing (Running false when it was not started).
func (s *Service) FulfilStatus() FulfilStatus {
	s.jobsMu.Lock()
	f := s.fulfil
	s.jobsMu.Unlock()
	if f == nil {
		return FulfilStatus{Account: s.Account().Hex(), Device: s.pub.device.Hex()}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.status
	for _, c := range f.cands {
		if c.noted == FulfilWaiting {
			st.Waiting++
		}
	}
	return st
}

func (f *fulfilRun) run(ctx context.Context) {
	defer close(f.done)
	defer f.wg.Wait()
	if err := f.s.waitRecovered(ctx); err != nil {
		return
	}
	f.settle(ctx)
	t := time.NewTicker(f.opts.Interval)
	defer t.Stop()
	for {
		if err := f.tick(ctx); err != nil && ctx.Err() == nil {
			f.opts.logf(slog.LevelDebug, "fulfilment: reading the chain failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (o FulfilOptions) logf(level slog.Level, msg string, args ...any) {
	if o.Log != nil {
		o.Log.Log(context.Background(), level, msg, args...)
	}
}

// emit logs an event and hands it to OnEvent.
func (f *fulfilRun) emit(ev FulfilEvent) {
	ev.Time = time.Now()
	level := slog.LevelInfo
	switch ev.Kind {
	case FulfilFailed, FulfilNeedsFunds, FulfilNoOperator:
		level = slog.LevelWarn
	}
	args := []any{"kind", ev.Kind}
	if ev.Dataset != 0 {
		args = append(args, "dataset", ev.Dataset, "requester", ev.Requester)
	}
	if ev.TxHash != "" {
		args = append(args, "tx", ev.TxHash, "gas", ev.GasUsed)
	}
	if ev.TopUpURI != "" {
		args = append(args, "topUp", ev.TopUpURI)
	}
	f.opts.logf(level, ev.Message, args...)
	if f.opts.OnEvent != nil {
		f.opts.OnEvent(ev)
	}
}

// settle follows the answers journaled as signed before the last stop: each is confirmed, found
// replaced (then signed again when its request is still pending) or sent again. None is signed
// anew here, so a crash between sending and the receipt never leads to a second answer.
func (f *fulfilRun) settle(ctx context.Context) {
	rows, err := f.s.index.Fulfils(ctx, index.FulfilSigned)
	if err != nil {
		f.opts.logf(slog.LevelWarn, "fulfilment: read the journal", "err", err)
		return
	}
	for _, row := range rows {
		if ctx.Err() != nil {
			return
		}
		_ = f.follow(ctx, row) // what failed is tried again when its request is met on chain
	}
}

// follow sees a journaled answer through: its receipt, or why it will never be mined.
func (f *fulfilRun) follow(ctx context.Context, row *index.Fulfil) error {
	r, err := f.s.chain.Track(ctx, row.RawTx, chain.Follow{Key: f.s.keys.DeviceKey(), Journal: &fulfilJournal{s: f.s, row: row}})
	return f.record(ctx, row, r, err)
}

// record writes the outcome of an answer's transaction into its journal entry.
func (f *fulfilRun) record(ctx context.Context, row *index.Fulfil, r *types.Receipt, err error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	switch {
	case err == nil:
		row.State, row.Block, row.GasUsed, row.Error = index.FulfilConfirmed, r.BlockNumber.Uint64(), r.GasUsed, ""
		row.TxHash = r.TxHash.Hex()
	case isNoPending(err):
		row.State, row.Error = index.FulfilGone, err.Error()
		if r != nil {
			row.Block, row.GasUsed = r.BlockNumber.Uint64(), r.GasUsed
		}
	case errors.Is(err, chain.ErrReplaced), errors.Is(err, chain.ErrTxFailed):
		// Never to be mined (or mined and failed for another reason): signed again next time.
		row.State, row.RawTx, row.Error = "", nil, err.Error()
	case ctx.Err() != nil:
		return err // stopped: the entry stays signed, followed on the next start
	default:
		row.Error = err.Error()
	}
	if perr := f.s.index.PutFulfil(wctx, row); perr != nil {
		return errors.Join(err, perr)
	}
	return err
}

// isNoPending reports whether err is the contract's NoPendingRequest (from an estimate, or from
// a mined transaction that failed).
func isNoPending(err error) bool {
	var re *chain.RevertError
	if errors.As(err, &re) {
		_, ok := re.Reason.(*contracts.DataShareNoPendingRequest)
		return ok
	}
	return false
}

// tick reads the new blocks' requests and starts answering those due.
func (f *fulfilRun) tick(ctx context.Context) error {
	acct := f.s.Account()
	head, err := f.s.chain.BlockNumber(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	if acct != f.account || head < f.scanned {
		// Another account approves now, or the chain lost blocks: read everything again.
		f.account, f.scanned = acct, 0
		f.status.Account = acct.Hex()
		for k, c := range f.cands {
			if !c.busy {
				delete(f.cands, k)
			}
		}
	}
	from := f.scanned + 1
	if f.scanned == 0 {
		from = f.s.fromBlk
	}
	f.mu.Unlock()
	if head >= from {
		evs, err := f.s.chain.RequestedEvents(ctx, &acct, nil, from, head)
		if err != nil {
			return err
		}
		f.mu.Lock()
		if f.account == acct {
			for _, e := range evs {
				k := reqKey{e.Value.Id.Uint64(), e.Value.Requester}
				c := f.cands[k]
				if c == nil {
					c = &candidate{}
					f.cands[k] = c
				}
				if c.reqTx != e.TxHash { // a new request of the same account (after a refund or a decline)
					c.reqTx, c.block, c.amount, c.next, c.fails, c.noted = e.TxHash, e.Block, e.Value.Amount, time.Time{}, 0, ""
				}
			}
			f.scanned = head
		}
		f.mu.Unlock()
	}
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, c := range f.cands {
		if c.busy || now.Before(c.next) {
			continue
		}
		select {
		case f.sem <- struct{}{}:
		default:
			return nil // every worker is busy: the rest next tick
		}
		c.busy = true
		f.wg.Add(1)
		go func(k reqKey, c *candidate, reqTx common.Hash, blk uint64) {
			defer f.wg.Done()
			defer func() { <-f.sem }()
			f.answer(ctx, acct, k, c, reqTx, blk)
		}(k, c, c.reqTx, max(c.block, head))
	}
	return nil
}

// Back-off of a candidate: after a failure, and for requests left to the owner (their policy
// may change).
const (
	retryFirst  = time.Second
	retryMax    = time.Minute
	recheckHand = 3 * time.Second
)

// answer answers one candidate, if it is pending and its policy says so.
func (f *fulfilRun) answer(ctx context.Context, acct common.Address, k reqKey, c *candidate, reqTx common.Hash, blk uint64) {
	kind, msg, wait := f.answerOnce(ctx, acct, k, c, reqTx, blk)
	f.mu.Lock()
	defer f.mu.Unlock()
	c.busy = false
	switch kind {
	case "done":
		if f.cands[k] == c && c.reqTx == reqTx {
			delete(f.cands, k)
		}
		return
	case FulfilFailed:
		c.fails++
		wait = min(retryFirst<<min(c.fails-1, 6), retryMax)
	}
	c.next = time.Now().Add(wait)
	if kind != "" && c.noted != kind {
		c.noted = kind
		ev := FulfilEvent{Kind: kind, Dataset: k.id, Requester: k.requester.Hex(), Amount: c.amount.String(), Message: msg}
		// What concerns the device key, not one request, is said once until it changes.
		fresh := true
		switch kind {
		case FulfilNeedsFunds:
			fresh = f.status.NeedsFund == ""
			f.status.NeedsFund = msg
			ev.TopUpURI = f.status.TopUpURI
		case FulfilNoOperator:
			fresh = f.status.Operator == ""
			f.status.Operator = msg
		}
		if fresh {
			go f.emit(ev)
		}
	}
}

// answerOnce tries one answer. It returns "done" when the candidate is settled (answered, or
// not pending), else the kind of event to note, a message and how long to wait before the next
// try.
func (f *fulfilRun) answerOnce(ctx context.Context, acct common.Address, k reqKey, c *candidate, reqTx common.Hash, blk uint64) (kind, msg string, wait time.Duration) {
	s := f.s
	acc, err := s.accessAt(ctx, k.id, k.requester, blk)
	if err != nil {
		return FulfilFailed, fmt.Sprintf("read the request of %s for dataset %d: %v", k.requester.Hex(), k.id, err), 0
	}
	row, err := s.index.FulfilOf(ctx, k.id, k.requester.Hex(), reqTx.Hex())
	if errors.Is(err, index.ErrNotFound) {
		row, err = nil, nil
	}
	if err != nil {
		return FulfilFailed, fmt.Sprintf("read the journal: %v", err), 0
	}
	if !acc.Pending() {
		if row != nil && row.State == index.FulfilSigned {
			_ = f.follow(ctx, row) // answered by this transaction, or by another: its receipt says
		}
		return "done", "", 0
	}
	if row != nil && row.State == index.FulfilGone {
		return "done", "", 0 // refused as not pending once: never tried again in a loop
	}
	auto, why, err := s.autoAnswer(ctx, k.id, k.requester, acc.Escrow)
	if err != nil {
		return FulfilFailed, err.Error(), 0
	}
	if !auto {
		return FulfilWaiting, fmt.Sprintf("%s asks for dataset %d (%s): answer with datashare grant %d %s or datashare decline %d %s",
			k.requester.Hex(), k.id, why, k.id, k.requester.Hex(), k.id, k.requester.Hex()), recheckHand
	}
	if acct != f.device {
		ok, err := s.chain.IsOperator(ctx, acct, f.device)
		if err != nil {
			return FulfilFailed, err.Error(), 0
		}
		if !ok {
			return FulfilNoOperator, fmt.Sprintf("requests to %s cannot be answered automatically: its wallet has not made this computer's device key %s its operator (datashare operator enable)", acct.Hex(), f.device.Hex()), 3 * time.Second
		}
	}
	f.mu.Lock()
	f.status.Operator = ""
	f.mu.Unlock()

	release, ok := s.claim(answerClaim(k.id, k.requester))
	if !ok {
		return "", "", recheckHand // answered by hand right now
	}
	defer release()
	var r *types.Receipt
	if row != nil && row.State == index.FulfilSigned || row != nil && row.State == index.FulfilConfirmed && len(row.RawTx) > 0 {
		// Signed before (this run or the last one), or confirmed on a chain that lost it since:
		// the same transaction, never a second one.
		row.State = index.FulfilSigned
		r, err = s.chain.Track(ctx, row.RawTx, chain.Follow{Key: s.keys.DeviceKey(), Journal: &fulfilJournal{s: s, row: row}})
	} else {
		if row == nil {
			row = &index.Fulfil{DatasetID: k.id, Requester: k.requester.Hex(), RequestTx: reqTx.Hex(), Amount: acc.Escrow.String()}
		}
		var data []byte
		if data, err = f.fulfilData(ctx, k.id, k.requester); err == nil {
			r, err = s.chain.SignAndSend(ctx, s.keys.DeviceKey(), chain.Tx{From: f.device, To: s.network.Contract, Data: data}, chain.Estimate{}, &fulfilJournal{s: s, row: row})
		}
	}
	var funds *chain.FundsError
	switch {
	case errors.As(err, &funds):
		uri := f.topUp(funds)
		return FulfilNeedsFunds, fmt.Sprintf("the device key %s cannot pay the network fee of answering requests (it has %s ETH, an answer needs up to %s ETH): send it ether, e.g. %s",
			f.device.Hex(), FormatEther(funds.Balance), FormatEther(funds.Need), uri), 3 * time.Second
	case row.State == "" && isNoPending(err):
		// Refused by the estimate: nothing was signed. The node may estimate on a state a
		// moment older than the blocks it served the request from: only a newer block that
		// says the request is not pending settles it.
		if head, herr := s.chain.BlockNumber(ctx); herr == nil && head > blk {
			if now, aerr := s.accessAt(ctx, k.id, k.requester, head); aerr == nil && now.Pending() {
				return FulfilFailed, fmt.Sprintf("answer the request of %s for dataset %d: %v", k.requester.Hex(), k.id, err), 0
			}
		} else {
			return FulfilFailed, fmt.Sprintf("answer the request of %s for dataset %d: %v", k.requester.Hex(), k.id, err), 0
		}
		row.State, row.Error = index.FulfilGone, err.Error()
		_ = s.index.PutFulfil(context.WithoutCancel(ctx), row)
		f.goneEvent(k, c, err)
		return "done", "", 0
	case row.State == "":
		if err == nil {
			err = errors.New("no transaction was signed")
		}
		return FulfilFailed, fmt.Sprintf("answer the request of %s for dataset %d: %v", k.requester.Hex(), k.id, err), 0
	}
	err = f.record(ctx, row, r, err)
	switch {
	case err == nil:
		f.mu.Lock()
		f.status.Answered++
		f.status.NeedsFund, f.status.TopUpURI = "", ""
		f.mu.Unlock()
		go f.emit(FulfilEvent{Kind: FulfilFulfilled, Dataset: k.id, Requester: k.requester.Hex(), Amount: row.Amount, TxHash: row.TxHash, GasUsed: row.GasUsed,
			Message: fmt.Sprintf("answered the request of %s for dataset %d (%s ETH)", k.requester.Hex(), k.id, FormatEther(mustBig(row.Amount)))})
		return "done", "", 0
	case row.State == index.FulfilGone:
		f.goneEvent(k, c, err)
		return "done", "", 0
	case ctx.Err() != nil:
		return "", "", 0
	}
	return FulfilFailed, fmt.Sprintf("answer the request of %s for dataset %d: %v", k.requester.Hex(), k.id, err), 0
}

func (f *fulfilRun) goneEvent(k reqKey, c *candidate, err error) {
	go f.emit(FulfilEvent{Kind: FulfilGone, Dataset: k.id, Requester: k.requester.Hex(), Amount: c.amount.String(),
		Message: fmt.Sprintf("the request of %s for dataset %d is no longer pending (%v): nothing more is sent", k.requester.Hex(), k.id, err)})
}

// accessAt reads an account's access to a dataset at block n (the node's "latest" state may
// be a moment behind the blocks whose logs it serves).
func (s *Service) accessAt(ctx context.Context, id uint64, a common.Address, n uint64) (chain.AccessInfo, error) {
	cctx, cancel := chainCtx(ctx)
	defer cancel()
	to := s.network.Contract
	out, err := s.chain.Eth().CallContract(cctx, ethereum.CallMsg{To: &to, Data: ds.PackAccessOf(new(big.Int).SetUint64(id), a)}, new(big.Int).SetUint64(n))
	if err != nil {
		return chain.AccessInfo{}, fmt.Errorf("read the access of %s to dataset %d at block %d: %w", a.Hex(), id, n, err)
	}
	v, err := ds.UnpackAccessOf(out)
	if err != nil {
		return chain.AccessInfo{}, err
	}
	return chain.AccessInfo{State: v.State, Version: v.Version, Escrow: v.Escrow, RequestedAt: v.RequestedAt}, nil
}

// answerClaim names an answer in Service.claim, so the engine and a grant by hand never answer
// the same request at once.
func answerClaim(id uint64, requester common.Address) string {
	return fmt.Sprintf("answer %d %s", id, requester.Hex())
}

// fulfilData is the calldata answering requester's request for dataset id: the current
// version's key sealed to the requester's registered key.
func (f *fulfilRun) fulfilData(ctx context.Context, id uint64, requester common.Address) ([]byte, error) {
	info, err := f.s.chainDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	key := f.keys[[2]uint64{id, info.Version}]
	f.mu.Unlock()
	if key == nil {
		vs, err := f.s.versions(ctx, id)
		if err != nil {
			return nil, err
		}
		if key, err = f.s.ownerKey(id, info.Version, vs); err != nil {
			return nil, err
		}
		f.mu.Lock()
		f.keys[[2]uint64{id, info.Version}] = key
		f.mu.Unlock()
	}
	return f.s.fulfilCalldata(ctx, id, requester, key)
}

// fulfilCalldata seals key to requester's registered key and packs fulfil.
func (s *Service) fulfilCalldata(ctx context.Context, id uint64, requester common.Address, key *seal.DatasetKey) ([]byte, error) {
	pub, err := s.recipientKey(ctx, requester)
	if err != nil {
		return nil, err
	}
	env, err := seal.SealKey(key, pub)
	if err != nil {
		return nil, fmt.Errorf("seal the key of dataset %d for %s: %w", id, requester.Hex(), err)
	}
	return chain.FulfilData(id, requester, env), nil
}

// topUp records and returns the EIP-681 URI that pays the device key enough for about twenty
// answers.
func (f *fulfilRun) topUp(e *chain.FundsError) string {
	want := new(big.Int).Mul(e.Need, big.NewInt(20))
	want.Sub(want, e.Balance)
	if want.Sign() <= 0 {
		want = new(big.Int).Set(e.Need)
	}
	uri := TopUpURI(f.device, f.s.network.ChainID, want)
	f.mu.Lock()
	f.status.TopUpURI = uri
	f.mu.Unlock()
	return uri
}

// TopUpURI is the EIP-681 payment request of wei to addr on chain chainID:
// ethereum:<addr>@<chainid>?value=<wei>. Phone wallets open it from a QR code.
func TopUpURI(addr common.Address, chainID uint64, wei *big.Int) string {
	return fmt.Sprintf("ethereum:%s@%d?value=%s", addr.Hex(), chainID, wei.String())
}

func mustBig(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return new(big.Int)
	}
	return v
}

// fulfilJournal records an answer's signed transaction before it is sent.
type fulfilJournal struct {
	s   *Service
	row *index.Fulfil
}

func (j *fulfilJournal) SaveSigned(ctx context.Context, hash common.Hash, raw []byte) error {
	j.row.State, j.row.TxHash, j.row.RawTx, j.row.Error = index.FulfilSigned, hash.Hex(), raw, ""
	if tx := new(types.Transaction); tx.UnmarshalBinary(raw) == nil {
		if from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx); err == nil {
			j.row.Sender = from.Hex()
		}
	}
	if err := j.s.index.PutFulfil(ctx, j.row); err != nil {
		return fmt.Errorf("journal the answer to the request of %s: %w", j.row.Requester, err)
	}
	if afterFulfilJournaled != nil {
		if err := afterFulfilJournaled(raw); err != nil {
			j.s.jobsMu.Lock()
			f := j.s.fulfil
			j.s.jobsMu.Unlock()
			if f != nil {
				f.stop() // as a crash would: nothing more is written or sent
			}
			return err
		}
	}
	return nil
}
