package share

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/config"
)

// startLocalChain runs the local chain every profile of this user shares, or joins the process
// that runs it (devnet.Join: when that process exits, this one takes over). A chain this
// profile ran for itself before (legacy, in its data directory) becomes the shared one when
// there is none yet, so the datasets on it stay visible; otherwise it is left alone and Status
// names it.
func (s *Service) startLocalChain(ctx context.Context, dir, legacy string) error {
	if dir == "" {
		var err error
		if dir, err = config.DefaultLocalnetDir(); err != nil {
			return err
		}
	}
	if filepath.Clean(legacy) != filepath.Clean(dir) { // else the shared chain is in this profile
		adopted, err := devnet.Adopt(legacy, dir)
		if err != nil {
			return fmt.Errorf("start the local chain: this profile's own chain cannot move to the shared one: %w", err)
		}
		if !adopted && devnet.HasChain(legacy) {
			s.legacyChain = legacy
		}
	}
	m, err := devnet.Join(ctx, devnet.Options{DataDir: dir, Prefund: []common.Address{s.pub.device}})
	if err != nil {
		return fmt.Errorf("start the local chain: %w", err)
	}
	s.localnet = m
	s.network.RPCURL, s.network.Contract, s.fromBlk = m.RPCURL(), m.Contract(), m.DeployBlock()
	return nil
}

// topUpFor bounds the wait for a funding to show in the chain's latest state.
const topUpFor = 10 * time.Second

// topUpDevice funds the device key from the local chain's faucet when it runs low: on the first
// use of a profile that joined the chain (the one that starts it funds its own in the genesis),
// and whenever the balance fell below minDeviceBalance.
func (s *Service) topUpDevice(ctx context.Context) error {
	addr := s.pub.device
	bal, err := s.chain.Balance(ctx, addr)
	if err != nil {
		return err
	}
	if bal.Cmp(minDeviceBalance) >= 0 {
		return nil
	}
	h, err := devnet.Fund(ctx, s.network.RPCURL, addr, new(big.Int).Sub(minDeviceBalance, bal))
	if err != nil {
		return fmt.Errorf("fund the device key on the local chain: %w", err)
	}
	if _, err := s.chain.WaitReceipt(ctx, h); err != nil {
		return err
	}
	// The chain serves the receipt a moment before its latest state has the balance; a
	// transaction estimated in that moment would be refused for lack of funds.
	wctx, cancel := context.WithTimeout(ctx, topUpFor)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		bal, err := s.chain.Balance(wctx, addr)
		if err == nil && bal.Cmp(minDeviceBalance) >= 0 {
			return nil
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("fund the device key on the local chain: the funding was mined but the balance does not show it after %v", topUpFor)
		case <-tick.C:
		}
	}
}
