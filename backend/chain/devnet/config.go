package devnet

import "github.com/ethereum/go-ethereum/params"

// ChainID is the chain id of the embedded local chain (go-ethereum's developer chain id).
const ChainID = 1337

// ChainConfig returns the chain rules of the local chain: every fork released on mainnet, and none
// of the unreleased ones. go-ethereum's developer config also enables unreleased forks (Bogota,
// Amsterdam) whose storage pricing is 2–4× mainnet's; gas measured under them would mislead users
// about what the same transaction costs on mainnet or a public testnet.
func ChainConfig() *params.ChainConfig {
	cfg := *params.AllDevChainProtocolChanges
	cfg.BogotaTime = nil
	cfg.AmsterdamTime = nil
	return &cfg
}
