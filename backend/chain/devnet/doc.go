// Package devnet runs DataShare's default network: a go-ethereum dev chain inside the app.
//
// Start opens (or creates) the chain in a data directory and serves JSON-RPC on 127.0.0.1 only;
// connect to it with chain.Dial(ctx, n.RPCURL(), devnet.ChainID, n.Contract()). Close shuts it
// down cleanly and must be called on quit and on signals (see Crashes below).
//
// On the first start the genesis funds the faucet (FaucetKey, a public dev-only key) and
// Options.Prefund, and DataShare is deployed with a 24 h refund timeout; deployment.json records
// the contract address, deploy block, chain id and the hash of the contract's code
// (ReadDeployment). Later starts reuse all of it; a start by a build of the app with a different
// contract deploys that one and records it (datasets of the old contract stay in the old one).
// Blocks are sealed as soon as a transaction arrives (a simulated beacon with period 0), under
// mainnet's gas rules (ChainConfig). P2P networking is off: no peers, no discovery, no listener.
//
// One process owns a data directory (go-ethereum locks it). A second Start on it, from this
// process or another, returns ErrInUse; a second app instance then joins over RPC with the URL
// from JoinURL. The RPC port is recorded in the directory and reused on the next start, so a
// joined instance's URL keeps working across restarts.
//
// # One chain for every profile
//
// Every DataShare profile of a user uses one chain directory, so that two profiles on one
// computer see the same contract and can share data. Join is what a profile calls: the first
// process runs the chain, the others join it, and when the runner exits (Close, or killed) a
// joined process takes over on the same port within about a second (see Member). Adopt moves
// a chain that one profile ran for itself, before profiles shared one, into the shared
// directory, so that its datasets stay visible.
//
// # Crashes
//
// go-ethereum writes its database without waiting for the write-ahead log (pebble.NoSync) and,
// in its default path scheme, keeps recent state in memory until Close writes a journal. Killed
// (kill -9, power loss, a crash), it restarts at the head of its last clean shutdown: every block
// since is gone, and with them transactions the user saw confirmed. Measured (TestCrashRecovery,
// "unsynced"): clean head 1, transactions mined in blocks 2 and 3, killed, restarted at head 1.
//
// devnet avoids this: the chain keeps every block's state on disk (hash scheme, archive mode; a
// local chain's state is small) and fsyncs the database after each new head. Measured
// ("synced"): killed at head 3, restarted at head 3, nothing lost. A head is synced a moment after
// it becomes visible, so a kill within that moment can still lose the newest block: journal
// signed transactions (chain.Journal) and re-submit them after a restart (chain.Client.Resubmit),
// which returns the receipt when the chain still has it and sends the same bytes again when not.
// go-ethereum also re-adds transactions it received over RPC (its transactions.rlp journal)
// about 10 s after a restart, when their nonce is still free; either way the effect is the same
// transaction, never a duplicate. After a rollback, nonces cached before it are too high:
// chain.Client re-reads an account's nonce whenever none of its transactions is in flight.
//
// Close writes the journals and releases the directory: call it on quit and on SIGINT/SIGTERM.
package devnet
