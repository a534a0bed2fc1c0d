package share

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/index"
)

// SetAfterFulfilJournaled sets a function called once an answer's signed transaction is
// journaled, before it is sent; an error stops the engine there, as a crash would. It returns
// a function that restores the default.
func SetAfterFulfilJournaled(f func(raw []byte) error) func() {
	old := afterFulfilJournaled
	afterFulfilJournaled = f
	return func() { afterFulfilJournaled = old }
}

// RequestAccessForTest pays value into escrow for dataset id through the profile's approval
// path (the buyer's own use case replaces it).
func (s *Service) RequestAccessForTest(ctx context.Context, id uint64, value *big.Int) error {
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: "Request access", To: s.network.Contract, Data: chain.RequestAccessData(id), Value: value,
	})
	return out.Error()
}

// FulfilJournal lists the profile's journal of answers.
func (s *Service) FulfilJournal(ctx context.Context) ([]*index.Fulfil, error) {
	return s.index.Fulfils(ctx)
}

// SetOperatorForTest lets device act for the current account (setOperator), approved as
// usual.
func (s *Service) SetOperatorForTest(ctx context.Context, device common.Address) error {
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: "Set operator", To: s.network.Contract, Data: ds.PackSetOperator(device, true),
	})
	return out.Error()
}

// DrainDeviceForTest sends nearly all of the device key's balance to to, leaving less than an
// answer's fee.
func (s *Service) DrainDeviceForTest(ctx context.Context, to common.Address) error {
	dev := s.keys.DeviceAddress()
	est, err := s.chain.Estimate(ctx, chain.Tx{From: dev, To: to})
	if err != nil {
		return err
	}
	bal, err := s.chain.Balance(ctx, dev)
	if err != nil {
		return err
	}
	value := new(big.Int).Sub(bal, est.Fee)
	_, err = s.chain.SignAndSend(ctx, s.keys.DeviceKey(), chain.Tx{From: dev, To: to, Value: value}, est, nil)
	return err
}
