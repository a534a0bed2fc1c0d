package share

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/walletconnect"
)

// Earnings, withdrawals and prices: what the owner's datasets earned (from the contract's
// events), the withdrawable balance the contract holds for the account (sales, and escrows of
// declined or revoked requests), taking it out, and changing a dataset's price.

// Earnings is what the account's datasets earned and what the contract holds for it.
type Earnings struct {
	Account      string            `json:"account"`
	Withdrawable string            `json:"withdrawable"` // wei: datashare withdraw takes it out
	Earned       string            `json:"earned"`       // wei released to the account by every sale
	Datasets     []DatasetEarnings `json:"datasets"`     // the account's datasets with any request, by id
}

// DatasetEarnings is the paid access of one dataset, from its events.
type DatasetEarnings struct {
	Dataset  uint64 `json:"dataset"`
	Name     string `json:"name"`
	Price    string `json:"price"`    // wei, the price now
	Sales    int    `json:"sales"`    // requests answered with the key that paid
	Earned   string `json:"earned"`   // wei released to the owner by them
	Pending  int    `json:"pending"`  // requests paid and not answered yet
	Escrow   string `json:"escrow"`   // wei held for them
	Declined int    `json:"declined"` // requests declined or cut off by a revoke (escrow back to the requester)
	Refunded int    `json:"refunded"` // requests the requester took back after the timeout
}

// Earnings reads the withdrawable balance of the current account and, from the chain's events,
// what each of its datasets earned, holds in escrow, declined and had refunded.
func (s *Service) Earnings(ctx context.Context) (Earnings, error) {
	me := s.Account()
	w, err := s.chain.Withdrawable(ctx, me)
	if err != nil {
		return Earnings{}, fmt.Errorf("read the withdrawable balance of %s: %w", me.Hex(), err)
	}
	logs, err := s.chain.Logs(ctx, chain.LogFilter{
		Events: []string{"AccessRequested", "AccessGranted", "Declined", "AccessRevoked", "Refunded"}, Owners: []common.Address{me},
	}, s.fromBlk, ^uint64(0))
	if err != nil {
		return Earnings{}, fmt.Errorf("read the requests of your datasets from the chain: %w", err)
	}
	type acct struct {
		id uint64
		a  common.Address
	}
	per := map[uint64]*DatasetEarnings{}
	earned := map[uint64]*big.Int{}
	pending := map[acct]*big.Int{}
	total := new(big.Int)
	get := func(id uint64) *DatasetEarnings {
		if d, ok := per[id]; ok {
			return d
		}
		d := &DatasetEarnings{Dataset: id}
		per[id], earned[id] = d, new(big.Int)
		return d
	}
	for i := range logs {
		l := &logs[i]
		if ev, err := ds.UnpackAccessRequestedEvent(l); err == nil {
			get(ev.Id.Uint64())
			pending[acct{ev.Id.Uint64(), ev.Requester}] = ev.Amount
		} else if ev, err := ds.UnpackAccessGrantedEvent(l); err == nil {
			id := ev.Id.Uint64()
			k := acct{id, ev.Grantee}
			if _, ok := pending[k]; !ok && !ev.Fulfilled {
				continue // direct sharing: no request, no sale
			}
			d := get(id)
			delete(pending, k)
			if ev.Paid.Sign() > 0 {
				d.Sales++
				earned[id].Add(earned[id], ev.Paid)
				total.Add(total, ev.Paid)
			}
		} else if ev, err := ds.UnpackDeclinedEvent(l); err == nil {
			get(ev.Id.Uint64()).Declined++
			delete(pending, acct{ev.Id.Uint64(), ev.Requester})
		} else if ev, err := ds.UnpackAccessRevokedEvent(l); err == nil {
			k := acct{ev.Id.Uint64(), ev.Grantee}
			if _, ok := pending[k]; ok {
				get(ev.Id.Uint64()).Declined++
				delete(pending, k)
			}
		} else if ev, err := ds.UnpackRefundedEvent(l); err == nil {
			get(ev.Id.Uint64()).Refunded++
			delete(pending, acct{ev.Id.Uint64(), ev.Requester})
		}
	}
	escrow := map[uint64]*big.Int{}
	for k, amount := range pending {
		if escrow[k.id] == nil {
			escrow[k.id] = new(big.Int)
		}
		escrow[k.id].Add(escrow[k.id], amount)
		per[k.id].Pending++
	}
	out := Earnings{Account: me.Hex(), Withdrawable: w.String(), Earned: total.String(), Datasets: []DatasetEarnings{}}
	for id, d := range per {
		d.Name = s.datasetName(ctx, id)
		d.Earned = earned[id].String()
		d.Escrow = "0"
		if e := escrow[id]; e != nil {
			d.Escrow = e.String()
		}
		if info, err := s.chain.Dataset(ctx, id); err == nil {
			d.Price = info.Price.String()
		}
		out.Datasets = append(out.Datasets, *d)
	}
	sort.Slice(out.Datasets, func(i, j int) bool { return out.Datasets[i].Dataset < out.Datasets[j].Dataset })
	return out, nil
}

// WithdrawResult is what Withdraw sent.
type WithdrawResult struct {
	Account string `json:"account"`
	Amount  string `json:"amount"` // wei
	TxHash  string `json:"txHash"`
	TxURL   string `json:"txUrl,omitempty"`
}

// Withdraw sends the account its whole withdrawable balance (one approval). With nothing to
// withdraw it fails before anything is asked.
func (s *Service) Withdraw(ctx context.Context) (WithdrawResult, error) {
	if err := s.writable("Withdraw"); err != nil {
		return WithdrawResult{}, err
	}
	me := s.Account()
	res := WithdrawResult{Account: me.Hex()}
	w, err := s.chain.Withdrawable(ctx, me)
	if err != nil {
		return res, fmt.Errorf("read the withdrawable balance of %s: %w", me.Hex(), err)
	}
	if w.Sign() == 0 {
		return res, invalidf("%s has nothing to withdraw: sales of your datasets and payments of declined requests show in datashare earnings", me.Hex())
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: "Withdraw",
		Note:   fmt.Sprintf("sends the %s ETH the contract holds for %s to it", FormatEther(w), me.Hex()),
		To:     s.network.Contract,
		Data:   ds.PackWithdraw(),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackWithdrawnEvent(l); err == nil && l.Address == s.network.Contract && ev.Account == me {
					res.Amount = ev.Amount.String()
					return nil
				}
			}
			return fmt.Errorf("it records no withdrawal of %s", me.Hex())
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return res, fmt.Errorf("withdraw: %w", err)
	}
	res.TxHash = out.Receipt.TxHash.Hex()
	res.TxURL = s.network.TxURL(res.TxHash)
	return res, nil
}

// PriceResult is what SetPrice did.
type PriceResult struct {
	Dataset uint64 `json:"dataset"`
	Name    string `json:"name"`
	Old     string `json:"old"`   // wei
	Price   string `json:"price"` // wei
	TxHash  string `json:"txHash"`
	TxURL   string `json:"txUrl,omitempty"`
	Note    string `json:"note"`
}

// SetPrice changes the access price of dataset id to price wei (one approval; owner only).
// Requests already paid keep the amount they paid. The price is checked as CheckPriceWei does;
// the same price as now is refused, with nothing asked.
func (s *Service) SetPrice(ctx context.Context, id uint64, price *big.Int) (PriceResult, error) {
	if err := s.writable("SetPrice"); err != nil {
		return PriceResult{}, err
	}
	if price == nil {
		price = new(big.Int)
	}
	if err := CheckPriceWei(price); err != nil {
		return PriceResult{}, err
	}
	info, err := s.ownDataset(ctx, id, "change the price of")
	if err != nil {
		return PriceResult{}, err
	}
	name := s.datasetName(ctx, id)
	res := PriceResult{Dataset: id, Name: name, Old: info.Price.String(), Price: price.String(),
		Note: "requests paid before keep the amount they paid"}
	if info.Price.Cmp(price) == 0 {
		return res, invalidf("the price of dataset %d is %s already", id, priceWords(price))
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:  "Change price",
		Dataset: name,
		Note:    fmt.Sprintf("the price of %s becomes %s (it is %s); requests paid before keep what they paid", name, priceWords(price), priceWords(info.Price)),
		To:      s.network.Contract,
		Data:    ds.PackSetPrice(new(big.Int).SetUint64(id), price),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackPriceChangedEvent(l); err == nil && l.Address == s.network.Contract && ev.Id.Uint64() == id && ev.Price.Cmp(price) == 0 {
					return nil
				}
			}
			return fmt.Errorf("it records no price change of dataset %d", id)
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return res, fmt.Errorf("change the price of %s: %w", name, err)
	}
	if d, err := s.index.Dataset(ctx, id); err == nil {
		d.Price = price.String()
		_ = s.index.PutDataset(ctx, d) // a cache: the next sync reads the PriceChanged event
	}
	res.TxHash = out.Receipt.TxHash.Hex()
	res.TxURL = s.network.TxURL(res.TxHash)
	return res, nil
}

// priceWords is a price for sentences: "free" or "0.01 ETH".
func priceWords(wei *big.Int) string {
	if wei.Sign() == 0 {
		return "free"
	}
	return FormatEther(wei) + " ETH"
}
