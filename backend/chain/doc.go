// Package chain is DataShare's Ethereum client: it dials a node (checking the chain id and that
// the DataShare contract is there), reads the contract, sends transactions with nonce management,
// waits for receipts, scans events and turns reverts into sentences a user can read.
//
// # Where to start
//
// Dial connects and checks the network; every other method hangs off the returned *Client.
// Writing to the contract is two steps, so that the user can approve a readable summary with
// the fee in between:
//
//	c, err := chain.Dial(ctx, url, chainID, contractAddr)
//	tx := chain.Tx{From: me, To: c.Contract(), Data: contracts.NewDataShare().PackPublish(cid, price, env)}
//	est, err := c.Estimate(ctx, tx)                   // *RevertError, ErrInsufficientFunds, …
//	// … show est.Fee, ask the user …
//	rcpt, err := c.SignAndSend(ctx, key, tx, est, journal)
//
// FulfilData, GrantAccessData, GrantManyData, DeclineData, RevokeData, RequestAccessData and
// RefundData pack the access functions (which to use for what is in pack.go); Access reads an
// account's state for a dataset, with the version it holds and when a refund becomes possible.
//
// A phone wallet signs and sends itself: give it tx.Data and est.Gas, then call WaitReceipt
// with the hash it returns.
//
// # Errors
//
// Callers branch with errors.Is and errors.As:
//
//   - ErrUnavailable: the node could not be reached or timed out (the URL is in the message,
//     without its path or query, which often hold an API key).
//   - ErrWrongNetwork, ErrNoContract: from Dial.
//   - *RevertError: the contract refused; Error() is a sentence for the user and Reason is the
//     contract's typed error (for example *contracts.DataShareNotOwner). errors.Is(err,
//     ErrNotFound) holds for an unknown dataset.
//   - ErrInsufficientFunds (*FundsError, with the balance and the amount needed).
//   - ErrTxFailed: the transaction was mined with status 0; the receipt is returned too, and the
//     error wraps the *RevertError found by re-running the call, when there is one.
//   - ErrReplaced, ErrNonceGap, ErrDropped: from Track and Resubmit.
//   - ErrPending: not mined within the wait bound (DefaultMaxWait, or Follow.MaxWait).
//
// # Nonces, journals and crashes
//
// A Client keeps one nonce counter per sending account, so concurrent SignAndSend calls from one
// key do not collide. The counter is read from the node (eth_getTransactionCount "pending")
// whenever none of the account's transactions is still waiting for its receipt, and after any
// failed send, so it follows transactions sent by other programs and chain rollbacks.
//
// SignAndSend hands every signed transaction to a Journal before it sends it. After a crash, the
// caller passes what it journaled to Track (or Resubmit), oldest first: Track returns the receipt
// if the chain has the transaction (or an earlier signing of it), says when another transaction
// took its nonce (ErrReplaced), sends the same bytes again when the node lost it, and, given the
// key, signs it again with higher fees (same nonce, journaled first) when it stays pending
// longer than Follow.StuckAfter. With Follow.Look it sends nothing and only reports. This
// matters on the embedded dev chain (package devnet), which can forget the newest block when the
// process is killed.
//
// No wait is unbounded: SignAndSend, WaitReceipt and Track give up with ErrPending after
// DefaultMaxWait (Follow.MaxWait for Track); SignAndSend re-signs a stuck transaction as Track
// does with the key.
//
// # Fees and gas
//
// Estimate uses EIP-1559 fees: tip = eth_maxPriorityFeePerGas, max fee = tip + 2 × base fee.
// Estimate.Gas already includes a safety margin over eth_estimateGas (state can change before the
// transaction is mined), so Estimate.Fee = Gas × max fee is the most the transaction can cost,
// and SignAndSend uses Estimate.Gas as the gas limit.
//
// Every call to the node is bounded by the caller's context and by a timeout of its own.
package chain
