package walletconnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// send encrypts a JSON-RPC request for topic and publishes it.
func (c *Client) send(ctx context.Context, topic string, key symKey, id uint64, method string, params any, ttl time.Duration, tag int, prompt bool) error {
	b, err := json.Marshal(map[string]any{"id": id, "jsonrpc": "2.0", "method": method, "params": params})
	if err != nil {
		return err
	}
	msg, err := seal(key, b)
	if err != nil {
		return err
	}
	return c.relay.publish(ctx, topic, msg, ttl, tag, prompt)
}

// respond answers a request from the wallet (result, or rerr when not nil).
func (c *Client) respond(topic string, id json.RawMessage, result any, rerr *rpcError, tag int, ttl time.Duration) {
	c.mu.Lock()
	tk := c.keys[topic]
	c.mu.Unlock()
	if tk == nil {
		return
	}
	resp := map[string]any{"id": id, "jsonrpc": "2.0"}
	if rerr != nil {
		resp["error"] = rerr
	} else {
		resp["result"] = result
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return
	}
	msg, err := seal(tk.key, b)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), respondWait)
	defer cancel()
	if err := c.relay.publish(ctx, topic, msg, ttl, tag, false); err != nil {
		c.log.Warn("walletconnect: could not answer the wallet", "error", err.Error())
	}
}

// rpc sends a request on the session topic and waits for the answer until deadline (then
// ErrExpired), ctx ends, or the session ends (ErrNoSession).
func (c *Client) rpc(ctx context.Context, method string, params any, ttl time.Duration, tag int, prompt bool, deadline time.Time) (json.RawMessage, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	if c.sess == nil {
		c.mu.Unlock()
		return nil, ErrNoSession
	}
	topic, key, gone := c.sess.rec.Topic, symKey(c.sess.rec.Key), c.sess.gone
	id := newRPCID()
	ch := make(chan rpcMessage, 1)
	idk := strconv.FormatUint(id, 10)
	c.waiters[idk] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.waiters, idk)
		c.mu.Unlock()
	}()

	if err := c.send(ctx, topic, key, id, method, params, ttl, tag, prompt); err != nil {
		return nil, err
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case m := <-ch:
		if m.Error != nil {
			return nil, &WalletError{Code: m.Error.Code, Message: m.Error.Message}
		}
		return m.Result, nil
	case <-t.C:
		return nil, ErrExpired
	case <-gone:
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("%w: the session ended before the wallet answered", ErrNoSession)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// request sends wc_sessionRequest with one Ethereum JSON-RPC call: the phone prompts the user.
func (c *Client) request(ctx context.Context, method string, params any) (json.RawMessage, error) {
	expiry := time.Now().Add(c.expiry)
	p := map[string]any{
		"request": map[string]any{
			"method":          method,
			"params":          params,
			"expiryTimestamp": expiry.Unix(),
		},
		"chainId": c.caip2,
	}
	// The relay keeps the request as long as the phone may answer it (at least 5 minutes, the
	// relay's minimum TTL).
	ttl := max(c.expiry.Round(time.Second), pairingTTL)
	res, err := c.rpc(ctx, "wc_sessionRequest", p, ttl, 1108, true, expiry)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return res, nil
}

// account is the session account; ErrNoSession when there is none.
func (c *Client) account() (common.Address, error) {
	s := c.Session()
	if s == nil {
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return common.Address{}, ErrClosed
		}
		return common.Address{}, ErrNoSession
	}
	if s.Account == (common.Address{}) {
		return common.Address{}, fmt.Errorf("%w: the wallet shares no account on chain %d", ErrNoSession, c.opts.ChainID)
	}
	return s.Account, nil
}

// Transaction is what SendTransaction asks the wallet to sign and send. The wallet picks the
// nonce and the fees.
type Transaction struct {
	From    common.Address // zero: the session account; otherwise it must be the session account
	To      common.Address
	Data    []byte
	Value   *big.Int // nil: none
	Gas     uint64   // gas limit; 0 lets the wallet estimate
	ChainID uint64   // zero: Options.ChainID; otherwise it must be Options.ChainID
}

// SendTransaction asks the phone to sign and broadcast tx, and returns the hash it reports.
// The hash is the wallet's claim: confirm it on your own node (receipt, status, events)
// before trusting it. A decline gives ErrRejected; no answer within the request expiry gives
// ErrExpired.
func (c *Client) SendTransaction(ctx context.Context, tx Transaction) (common.Hash, error) {
	from, err := c.account()
	if err != nil {
		return common.Hash{}, err
	}
	if tx.From != (common.Address{}) && tx.From != from {
		return common.Hash{}, fmt.Errorf("walletconnect: transaction from %s, but the wallet's account is %s", tx.From.Hex(), from.Hex())
	}
	if tx.ChainID != 0 && tx.ChainID != c.opts.ChainID {
		return common.Hash{}, fmt.Errorf("walletconnect: transaction for chain %d, but the session is for chain %d", tx.ChainID, c.opts.ChainID)
	}
	obj := map[string]string{
		"from":    from.Hex(),
		"to":      tx.To.Hex(),
		"data":    hexutil.Encode(tx.Data),
		"value":   "0x0",
		"chainId": hexutil.EncodeUint64(c.opts.ChainID),
	}
	if tx.Value != nil {
		obj["value"] = hexutil.EncodeBig(tx.Value)
	}
	if tx.Gas != 0 {
		obj["gas"] = hexutil.EncodeUint64(tx.Gas)
	}
	res, err := c.request(ctx, "eth_sendTransaction", []any{obj})
	if err != nil {
		return common.Hash{}, err
	}
	var s string
	if err := json.Unmarshal(res, &s); err != nil || len(s) != 66 || !strings.HasPrefix(s, "0x") {
		return common.Hash{}, fmt.Errorf("eth_sendTransaction: the wallet answered %s, not a transaction hash", truncate(string(res), 80))
	}
	b, err := hexutil.Decode(s)
	if err != nil {
		return common.Hash{}, fmt.Errorf("eth_sendTransaction: the wallet answered %q, not a transaction hash", s)
	}
	return common.BytesToHash(b), nil
}

// PersonalSign asks the phone to sign msg (EIP-191 personal_sign) and returns the 65-byte
// signature [R || S || V] with V = 27 or 28, after checking that it recovers to the session
// account (ErrBadSignature otherwise).
func (c *Client) PersonalSign(ctx context.Context, msg []byte) ([]byte, error) {
	from, err := c.account()
	if err != nil {
		return nil, err
	}
	res, err := c.request(ctx, "personal_sign", []string{hexutil.Encode(msg), from.Hex()})
	if err != nil {
		return nil, err
	}
	return verifySignature(res, accounts.TextHash(msg), from, "personal_sign")
}

// SignTypedData asks the phone to sign EIP-712 typed data (eth_signTypedData_v4; typedData is
// its JSON) and returns the signature as PersonalSign does, checked against the session
// account.
func (c *Client) SignTypedData(ctx context.Context, typedData []byte) ([]byte, error) {
	var td apitypes.TypedData
	if err := json.Unmarshal(typedData, &td); err != nil {
		return nil, fmt.Errorf("eth_signTypedData_v4: typed data: %w", err)
	}
	hash, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return nil, fmt.Errorf("eth_signTypedData_v4: typed data: %w", err)
	}
	from, err := c.account()
	if err != nil {
		return nil, err
	}
	res, err := c.request(ctx, "eth_signTypedData_v4", []string{from.Hex(), string(typedData)})
	if err != nil {
		return nil, err
	}
	return verifySignature(res, hash, from, "eth_signTypedData_v4")
}

// verifySignature decodes a wallet's signature and checks it is from's signature of hash.
func verifySignature(res json.RawMessage, hash []byte, from common.Address, method string) ([]byte, error) {
	var s string
	if err := json.Unmarshal(res, &s); err != nil {
		return nil, fmt.Errorf("%s: the wallet answered %s, not a signature", method, truncate(string(res), 80))
	}
	sig, err := hexutil.Decode(s)
	if err != nil || len(sig) != crypto.SignatureLength {
		return nil, fmt.Errorf("%s: the wallet answered %q, not a 65-byte signature", method, truncate(s, 140))
	}
	norm := append([]byte(nil), sig...)
	if norm[64] >= 27 {
		norm[64] -= 27
	}
	pub, err := crypto.SigToPub(hash, norm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", method, ErrBadSignature, err)
	}
	if got := crypto.PubkeyToAddress(*pub); got != from {
		return nil, fmt.Errorf("%s: %w: it recovers to %s, not %s", method, ErrBadSignature, got.Hex(), from.Hex())
	}
	norm[64] += 27
	return norm, nil
}

// Ping checks that the phone wallet is reachable and still has the session. It waits at most
// 30 seconds (or until ctx ends).
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.rpc(ctx, "wc_sessionPing", map[string]any{}, 24*time.Hour, 1114, false, time.Now().Add(pingWait))
	if errors.Is(err, ErrExpired) {
		return fmt.Errorf("wc_sessionPing: the wallet did not answer within %s", pingWait)
	}
	if err != nil {
		return fmt.Errorf("wc_sessionPing: %w", err)
	}
	return nil
}

// Disconnect ends the session here and tells the wallet (wc_sessionDelete). The session is
// forgotten even when the wallet cannot be told; the error then says so.
func (c *Client) Disconnect(ctx context.Context) error {
	c.mu.Lock()
	if c.sess == nil {
		c.mu.Unlock()
		return nil
	}
	rec := c.sess.rec
	c.mu.Unlock()
	err := c.send(ctx, rec.Topic, symKey(rec.Key), newRPCID(), "wc_sessionDelete",
		map[string]any{"code": 6000, "message": "User disconnected."}, 24*time.Hour, 1112, false)
	c.dropSession(rec.Topic, "disconnected by the user")
	if err != nil {
		return fmt.Errorf("the session was removed here, but the wallet could not be told: %w", err)
	}
	return nil
}

// sendDelete tells the wallet of a replaced session that it is over, and stops listening.
func (c *Client) sendDelete(rec sessionRecord) {
	ctx, cancel := context.WithTimeout(context.Background(), respondWait)
	defer cancel()
	err := c.send(ctx, rec.Topic, symKey(rec.Key), newRPCID(), "wc_sessionDelete",
		map[string]any{"code": 6000, "message": "User disconnected."}, 24*time.Hour, 1112, false)
	if err != nil {
		c.log.Warn("walletconnect: could not tell the previous wallet that its session ended", "error", err.Error())
	}
	_ = c.relay.unsubscribe(ctx, rec.Topic)
	if rec.PairingTopic != "" {
		_ = c.relay.unsubscribe(ctx, rec.PairingTopic)
	}
}
