package share

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/walletconnect"
)

// The owner's inbox: the pending access requests to the current account's datasets, from the
// chain, and the answers by hand (GrantRequest, DeclineRequest) to those the answer policy
// leaves to the owner (policy.go).

// InboxRequest is one pending request to one of the account's datasets.
type InboxRequest struct {
	Dataset      uint64    `json:"dataset"`
	Name         string    `json:"name"`
	Requester    string    `json:"requester"`
	Amount       string    `json:"amount"` // wei in escrow
	Since        time.Time `json:"since"`  // when it was made (block time)
	RefundableAt time.Time `json:"refundableAt"`
	// Auto is true when the running profile answers it by itself (its policy); Why says why
	// not otherwise.
	Auto bool   `json:"auto"`
	Why  string `json:"why,omitempty"`
	// Answer is how far an answer got: "" (none yet), "sent" (a fulfil is on its way), or the
	// error that stopped the last attempt.
	Answer string `json:"answer,omitempty"`
}

// AnswerResult is what GrantRequest or DeclineRequest did.
type AnswerResult struct {
	Dataset   uint64 `json:"dataset"`
	Name      string `json:"name"`
	Requester string `json:"requester"`
	Answer    string `json:"answer"` // "granted" or "declined"
	Amount    string `json:"amount"` // wei: released to the owner (granted) or credited back to the requester (declined)
	Version   uint64 `json:"version,omitempty"`
	TxHash    string `json:"txHash"`
	TxURL     string `json:"txUrl,omitempty"`
}

// Inbox lists the pending requests to the current account's datasets, oldest first.
func (s *Service) Inbox(ctx context.Context) ([]InboxRequest, error) {
	acct := s.Account()
	evs, err := s.chain.RequestedEvents(ctx, &acct, nil, s.fromBlk, ^uint64(0))
	if err != nil {
		return nil, fmt.Errorf("read the requests to %s from the chain: %w", acct.Hex(), err)
	}
	type last struct {
		id  uint64
		a   common.Address
		tx  common.Hash
		blk uint64
	}
	latest := map[reqKey]last{}
	for _, e := range evs {
		k := reqKey{e.Value.Id.Uint64(), e.Value.Requester}
		latest[k] = last{k.id, k.requester, e.TxHash, e.Block}
	}
	out := []InboxRequest{}
	names := map[uint64]string{}
	for k, l := range latest {
		acc, err := s.chain.Access(ctx, k.id, k.requester)
		if err != nil {
			return nil, fmt.Errorf("read the request of %s for dataset %d: %w", k.requester.Hex(), k.id, err)
		}
		if !acc.Pending() {
			continue
		}
		if _, ok := names[k.id]; !ok {
			names[k.id] = s.datasetName(ctx, k.id)
		}
		r := InboxRequest{Dataset: k.id, Name: names[k.id], Requester: k.requester.Hex(), Amount: acc.Escrow.String(),
			Since: time.Unix(int64(acc.RequestedAt), 0), RefundableAt: time.Unix(int64(acc.RefundableAt), 0)}
		if r.Auto, r.Why, err = s.autoAnswer(ctx, k.id, k.requester, acc.Escrow); err != nil {
			return nil, err
		}
		row, err := s.index.FulfilOf(ctx, k.id, k.requester.Hex(), l.tx.Hex())
		switch {
		case err == nil && row.State == index.FulfilSigned:
			r.Answer = "sent"
		case err == nil && row.Error != "":
			r.Answer = row.Error
		case err != nil && !errors.Is(err, index.ErrNotFound):
			return nil, err
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Since.Equal(out[j].Since) {
			return out[i].Since.Before(out[j].Since)
		}
		if out[i].Dataset != out[j].Dataset {
			return out[i].Dataset < out[j].Dataset
		}
		return out[i].Requester < out[j].Requester
	})
	return out, nil
}

// pendingRequest checks what an answer by hand needs: requester (an address as typed) has a
// pending request for dataset id, which the current account owns. It returns the parsed
// address, the dataset and the request's access state.
func (s *Service) pendingRequest(ctx context.Context, id uint64, requester, what string) (common.Address, chain.DatasetInfo, chain.AccessInfo, error) {
	a, err := parseAccount(requester)
	if err != nil {
		return a, chain.DatasetInfo{}, chain.AccessInfo{}, err
	}
	info, err := s.ownDataset(ctx, id, what)
	if err != nil {
		return a, info, chain.AccessInfo{}, err
	}
	acc, err := s.chain.Access(ctx, id, a)
	if err != nil {
		return a, info, acc, fmt.Errorf("read the request of %s for dataset %d: %w", a.Hex(), id, err)
	}
	if !acc.Pending() {
		return a, info, acc, invalidf("%s has no pending request for dataset %d (it was answered, declined or refunded, or never made): see datashare requests", a.Hex(), id)
	}
	return a, info, acc, nil
}

// parseAccount checks one typed address.
func parseAccount(s string) (common.Address, error) {
	as, err := parseGrantees([]string{s})
	if err != nil {
		return common.Address{}, err
	}
	return as[0], nil
}

// requestEventTx finds the transaction of requester's latest request for dataset id.
func (s *Service) requestEventTx(ctx context.Context, id uint64, owner, requester common.Address) (common.Hash, error) {
	evs, err := s.chain.RequestedEvents(ctx, &owner, &requester, s.fromBlk, ^uint64(0))
	if err != nil {
		return common.Hash{}, fmt.Errorf("read the request of %s for dataset %d: %w", requester.Hex(), id, err)
	}
	var h common.Hash
	for _, e := range evs {
		if e.Value.Id.Uint64() == id {
			h = e.TxHash
		}
	}
	if h == (common.Hash{}) {
		return h, fmt.Errorf("the request of %s for dataset %d is pending but its event is not on the chain", requester.Hex(), id)
	}
	return h, nil
}

// GrantRequest answers requester's pending request for dataset id by hand: the key of the
// current version goes to the requester and its escrow to the owner (fulfil), after the
// account holder approves. The answer is journaled as the engine's are: an answer already sent
// for this request is followed, not sent again.
func (s *Service) GrantRequest(ctx context.Context, id uint64, requester string) (AnswerResult, error) {
	if err := s.writable("GrantRequest"); err != nil {
		return AnswerResult{}, err
	}
	a, info, acc, err := s.pendingRequest(ctx, id, requester, "answer requests for")
	if err != nil {
		return AnswerResult{}, err
	}
	release, ok := s.claim(answerClaim(id, a))
	if !ok {
		return AnswerResult{}, sentence(fmt.Sprintf("the request of %s for dataset %d is being answered right now", a.Hex(), id), ErrBusy)
	}
	defer release()
	reqTx, err := s.requestEventTx(ctx, id, info.Owner, a)
	if err != nil {
		return AnswerResult{}, err
	}
	name := s.datasetName(ctx, id)
	res := AnswerResult{Dataset: id, Name: name, Requester: a.Hex(), Answer: "granted", Amount: acc.Escrow.String(), Version: info.Version}
	row, err := s.index.FulfilOf(ctx, id, a.Hex(), reqTx.Hex())
	if errors.Is(err, index.ErrNotFound) {
		row, err = &index.Fulfil{DatasetID: id, Requester: a.Hex(), RequestTx: reqTx.Hex(), Amount: acc.Escrow.String()}, nil
	}
	if err != nil {
		return AnswerResult{}, err
	}
	var rcpt *types.Receipt
	if row.State == index.FulfilSigned && len(row.RawTx) > 0 {
		// An answer was sent already (by the running profile, or an attempt that stopped): see
		// it through rather than send a second one.
		rcpt, err = s.chain.Track(ctx, row.RawTx, chain.Follow{Key: s.keys.DeviceKey(), Journal: &fulfilJournal{s: s, row: row}})
	} else {
		vs, verr := s.versions(ctx, id)
		if verr != nil {
			return AnswerResult{}, verr
		}
		key, kerr := s.ownerKey(id, info.Version, vs)
		if kerr != nil {
			return AnswerResult{}, kerr
		}
		data, derr := s.fulfilCalldata(ctx, id, a, key)
		if derr != nil {
			return AnswerResult{}, derr
		}
		note := fmt.Sprintf("gives the key of version %d of %s to %s, who asked for it", info.Version, name, a.Hex())
		if acc.Escrow.Sign() > 0 {
			note += fmt.Sprintf(" and paid %s ETH into escrow (released to you)", FormatEther(acc.Escrow))
		}
		out := s.approverNow().Approve(ctx, approval.Request{
			Action: "Answer an access request", Dataset: name, Note: note, To: s.network.Contract, Data: data,
			Check: s.checkGranted(id, info.Version, []common.Address{a}), Journal: &fulfilJournal{s: s, row: row},
			Grantees: []common.Address{a}, Version: info.Version,
		})
		if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
			s.noteRelay(out.Err)
		}
		rcpt, err = out.Receipt, out.Error()
	}
	if err != nil {
		if row.State == index.FulfilSigned {
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if isNoPending(err) {
				row.State = index.FulfilGone
			}
			row.Error = err.Error()
			_ = s.index.PutFulfil(wctx, row)
		}
		return AnswerResult{}, fmt.Errorf("answer the request of %s for %s: %w", a.Hex(), name, err)
	}
	row.State, row.TxHash, row.Block, row.GasUsed, row.Error = index.FulfilConfirmed, rcpt.TxHash.Hex(), rcpt.BlockNumber.Uint64(), rcpt.GasUsed, ""
	if err := s.index.PutFulfil(ctx, row); err != nil {
		return AnswerResult{}, fmt.Errorf("record the answer to %s: %w", a.Hex(), err)
	}
	res.TxHash, res.TxURL = rcpt.TxHash.Hex(), s.network.TxURL(rcpt.TxHash.Hex())
	return res, nil
}

// DeclineRequest declines requester's pending request for dataset id, after the account holder
// approves: the escrow is credited back to the requester, who is not banned and may ask again.
func (s *Service) DeclineRequest(ctx context.Context, id uint64, requester string) (AnswerResult, error) {
	if err := s.writable("DeclineRequest"); err != nil {
		return AnswerResult{}, err
	}
	a, _, acc, err := s.pendingRequest(ctx, id, requester, "decline requests for")
	if err != nil {
		return AnswerResult{}, err
	}
	release, ok := s.claim(answerClaim(id, a))
	if !ok {
		return AnswerResult{}, sentence(fmt.Sprintf("the request of %s for dataset %d is being answered right now", a.Hex(), id), ErrBusy)
	}
	defer release()
	name := s.datasetName(ctx, id)
	note := fmt.Sprintf("%s does not get the key of %s and may ask again", a.Hex(), name)
	if acc.Escrow.Sign() > 0 {
		note += fmt.Sprintf("; the %s ETH it paid goes back to it", FormatEther(acc.Escrow))
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: "Decline an access request", Dataset: name, Note: note, To: s.network.Contract, Data: chain.DeclineData(id, a),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackDeclinedEvent(l); err == nil && l.Address == s.network.Contract && ev.Id.Uint64() == id && ev.Requester == a {
					return nil
				}
			}
			return fmt.Errorf("it records no Declined event for %s", a.Hex())
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return AnswerResult{}, fmt.Errorf("decline the request of %s for %s: %w", a.Hex(), name, err)
	}
	h := out.Receipt.TxHash.Hex()
	return AnswerResult{Dataset: id, Name: name, Requester: a.Hex(), Answer: "declined", Amount: acc.Escrow.String(), TxHash: h, TxURL: s.network.TxURL(h)}, nil
}
