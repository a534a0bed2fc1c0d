package devnet

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
	"github.com/ethereum/go-ethereum/ethclient"
)

// faucetLabel derives the faucet key. The key is public knowledge, like Hardhat's test accounts:
// it holds play money on a chain that only listens on 127.0.0.1. Never use it elsewhere; Fund
// refuses any chain but the local one.
const faucetLabel = "DataShare devnet faucet — public, dev-only key"

// FaucetKey is the local chain's faucet: a well-known key (Keccak-256 of a fixed label) holding
// nearly 2^256 wei of play money in the genesis. It is not a secret and must never hold real
// funds: anyone can derive it.
func FaucetKey() *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(faucetLabel)))
	if err != nil {
		panic(err) // a fixed, valid scalar
	}
	return k
}

// FaucetAddress is the faucet's address.
func FaucetAddress() common.Address { return crypto.PubkeyToAddress(FaucetKey().PublicKey) }

// fundTimeout bounds Fund on top of the caller's context.
const fundTimeout = 30 * time.Second

// Fund sends amount wei from the faucet to the account and waits until it is mined. rpcURL must
// be the local chain's (checked by chain id): it works for the process running the chain and for
// one that joined it.
func Fund(ctx context.Context, rpcURL string, to common.Address, amount *big.Int) (common.Hash, error) {
	ctx, cancel := context.WithTimeout(ctx, fundTimeout)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return common.Hash{}, fmt.Errorf("devnet: fund: %w", err)
	}
	defer ec.Close()
	id, err := ec.ChainID(ctx)
	if err != nil {
		return common.Hash{}, fmt.Errorf("devnet: fund: chain id: %w", err)
	}
	if id.Cmp(big.NewInt(ChainID)) != 0 {
		return common.Hash{}, fmt.Errorf("devnet: fund: chain id %s is not the local chain's %d", id, ChainID)
	}
	rcpt, err := faucetSend(ctx, ec, &to, amount, nil)
	if err != nil {
		return common.Hash{}, fmt.Errorf("devnet: fund %s: %w", to.Hex(), err)
	}
	return rcpt.TxHash, nil
}

// faucetMu serialises the faucet's transactions within the process; between processes, a nonce
// taken by the other is retried.
var faucetMu sync.Mutex

// faucetSend sends a transaction from the faucet (to nil: contract creation), waits for the
// receipt and checks its status.
func faucetSend(ctx context.Context, ec *ethclient.Client, to *common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	faucetMu.Lock()
	defer faucetMu.Unlock()
	key := FaucetKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	if value == nil {
		value = new(big.Int)
	}
	gas, err := ec.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Value: value, Data: data})
	if err != nil {
		return nil, fmt.Errorf("estimate gas: %w", err)
	}
	gas += gas / 5
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	tip, err := ec.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	signer := types.LatestSignerForChainID(big.NewInt(ChainID))

	const attempts = 5
	for attempt := 1; ; attempt++ {
		nonce, err := ec.PendingNonceAt(ctx, from)
		if err != nil {
			return nil, err
		}
		tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(ChainID), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
			Gas: gas, To: to, Value: value, Data: data,
		})
		if err != nil {
			return nil, err
		}
		err = ec.SendTransaction(ctx, tx)
		if err != nil && nonceTaken(err) && attempt < attempts {
			continue // another process's faucet transaction took the nonce
		}
		if err != nil && !strings.Contains(err.Error(), "already known") {
			return nil, err
		}
		rcpt, err := waitReceipt(ctx, ec, tx.Hash())
		if err != nil {
			return nil, err
		}
		if rcpt.Status != types.ReceiptStatusSuccessful {
			return rcpt, fmt.Errorf("transaction %s failed", tx.Hash().Hex())
		}
		return rcpt, nil
	}
}

func nonceTaken(err error) bool {
	s := err.Error()
	return strings.Contains(s, "nonce too low") || strings.Contains(s, "replacement transaction underpriced")
}

// waitReceipt polls for a receipt (the local chain seals within milliseconds).
func waitReceipt(ctx context.Context, ec *ethclient.Client, hash common.Hash) (*types.Receipt, error) {
	delay := 5 * time.Millisecond
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for {
		r, err := ec.TransactionReceipt(ctx, hash)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			return nil, fmt.Errorf("receipt of %s: %w", hash.Hex(), err)
		}
		timer.Reset(delay)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("receipt of %s: %w", hash.Hex(), ctx.Err())
		case <-timer.C:
		}
		delay = min(delay*2, 200*time.Millisecond)
	}
}
