// Package devnet runs DataShare's default network: a go-ethereum dev chain inside the app.
//
// Start opens (or creates) the chain in a data directory and serves JSON-RPC on 127.0.0.1 only;
// connect to it with chain.Dial(ctx, n.RPCURL(), devnet.ChainID, n.Contract()). Close shuts it
// down cleanly and must be called on quit and on signals (see Crashes below).
//
// On the first start the genesis funds the faucet (FaucetKey, a public dev-only key) and
// Options.Prefund, and DataShare is deployed with a 24 h refund timeout; deployment.json records
// the contract address, deploy block and chain id (ReadDeployment). Later starts reuse all of it.
// Blocks are sealed as soon as a transaction arrives (a simulated beacon with period 0), under
// mainnet's gas rules (ChainConfig). P2P networking is off: no peers, no discovery, no listener.
//
// One process owns a data directory (go-ethereum locks it). A second Start on it, from this
// process or another, returns ErrInUse; a second app instance then joins over RPC with the URL
// from JoinURL. The RPC port is recorded in the directory and reused on the next start, so a
// joined instance's URL keeps working across restarts.
//
// # Crashes
//
// CRASH_NOTES
package devnet
