package devnet

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/params"
)

// The local chain must price gas as mainnet does: released forks on, unreleased ones off.
func TestChainConfigMainnetRules(t *testing.T) {
	cfg := ChainConfig()
	zero := big.NewInt(0)
	if !cfg.IsCancun(zero, 0) || !cfg.IsPrague(zero, 0) || !cfg.IsOsaka(zero, 0) {
		t.Fatal("released forks (Cancun, Prague, Osaka) must be active from genesis")
	}
	if cfg.IsAmsterdam(zero, 1<<40) || cfg.BogotaTime != nil {
		t.Fatal("unreleased forks must be off")
	}
	if cfg.ChainID.Int64() != ChainID {
		t.Fatalf("chain id %d, want %d", cfg.ChainID, ChainID)
	}
	if params.AllDevChainProtocolChanges.AmsterdamTime == nil && params.AllDevChainProtocolChanges.BogotaTime == nil {
		t.Log("go-ethereum's dev config no longer enables unreleased forks; ChainConfig may be simplified")
	}
	if ChainConfig() == ChainConfig() {
		t.Fatal("ChainConfig must return a copy")
	}
}
