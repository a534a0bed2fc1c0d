// Package walletconnect is the dApp side of WalletConnect v2 Sign: DataShare pairs with a phone
// wallet by QR code and asks it to sign and send transactions.
//
// # Where to start
//
// New makes a Client from Options (relay URL and project ID, the app's Metadata, the chain,
// and a Store for its secrets). Pairing is two calls: Pair returns the URI to show as a QR
// code, WaitSession returns once the phone approved (or ErrRejected, ErrExpired). Then:
//
//	c, err := walletconnect.New(ctx, walletconnect.Options{ProjectID: id, ChainID: 1337, Store: keys})
//	p, err := c.Pair(ctx)           // show p.URI as a QR code until p.Expiry
//	s, err := c.WaitSession(ctx, p) // s.Account, s.Wallet.Name
//	hash, err := c.SendTransaction(ctx, walletconnect.Transaction{To: contract, Data: calldata, Gas: gas})
//
// The session is saved in the Store and resumed by the next New: no new scan after a restart.
// Session returns it (nil when none); Disconnect ends it; Close only disconnects from the relay.
//
// # Trust
//
// The wallet's answers are claims. SendTransaction returns the hash the wallet reports: confirm
// it on your own node (approval.Phone does: receipt, status, sender, calldata, event).
// PersonalSign and SignTypedData return a signature only after checking it recovers to the
// session account. Plaintext (type 2) envelopes are ignored over the relay, as the SDK does.
//
// # Errors
//
// ErrRejected (the user declined; a *WalletError with a rejection code matches it), ErrExpired
// (the QR code or a request expired), ErrNoSession (pair first, or again), ErrRelayUnavailable
// (phone approval cannot work now; the message says why: unreachable, project ID refused,
// timeout), ErrBadSignature.
//
// # Keys
//
// The Store holds the client's Ed25519 relay identity (its did:key is its mailbox on the relay)
// and the session record (session and pairing keys, wallet metadata, account, expiry), each
// at most 1024 bytes: *keys.Keys satisfies Store, so they live in the OS keyring or the
// passphrase file. Keys never appear in logs or errors. The pairing URI holds the pairing key:
// show it as a QR code, do not log it.
//
// # Protocol
//
// The protocol facts followed here, and where SDK 2.25.0 differs from the specification, are in
// notes/walletconnect.md. In short: X25519 + HKDF-SHA256 session keys, ChaCha20-Poly1305
// envelopes in padded base64, topic = hex(sha256(key)); a relay JSON-RPC connection
// authenticated by an EdDSA JWT, re-dialled with backoff, re-subscribing every topic,
// acknowledging and de-duplicating deliveries. The proposal is published with plain
// irn_publish and every topic is subscribed explicitly, so nothing depends on the relay's
// implicit subscriptions. Package wctest has a local relay and the real SDK as a wallet, for
// tests.
package walletconnect
