package walletconnect

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// The methods and events DataShare asks the wallet for.
var (
	proposedMethods = []string{"eth_sendTransaction", "personal_sign", "eth_signTypedData_v4"}
	proposedEvents  = []string{"chainChanged", "accountsChanged"}
)

// pairing is a session proposal in flight.
type pairing struct {
	topic      string
	key        symKey
	priv       *ecdh.PrivateKey
	proposalID uint64
	expiry     time.Time

	// set by the proposal response
	sessionTopic string
	sessionKey   symKey
	responder    string // the wallet's X25519 public key, hex

	once sync.Once
	done chan struct{}
	sess *Session
	err  error
}

func (p *pairing) finish(s *Session, err error) {
	p.once.Do(func() {
		p.sess, p.err = s, err
		close(p.done)
	})
}

type namespace struct {
	Chains   []string `json:"chains,omitempty"`
	Accounts []string `json:"accounts,omitempty"`
	Methods  []string `json:"methods"`
	Events   []string `json:"events"`
}

type proposal struct {
	RequiredNamespaces map[string]namespace `json:"requiredNamespaces"`
	OptionalNamespaces map[string]namespace `json:"optionalNamespaces"`
	Relays             []relayProtocol      `json:"relays"`
	Proposer           participant          `json:"proposer"`
	ExpiryTimestamp    int64                `json:"expiryTimestamp"`
	PairingTopic       string               `json:"pairingTopic"`
	ID                 uint64               `json:"id"`
}

type relayProtocol struct {
	Protocol string `json:"protocol"`
}

type participant struct {
	PublicKey string   `json:"publicKey"`
	Metadata  Metadata `json:"metadata"`
}

// Pair starts a session proposal and returns the URI to show as a QR code. Pass the Pairing
// to WaitSession. A session already connected stays usable until the new one settles, which
// then replaces it.
func (c *Client) Pair(ctx context.Context) (*Pairing, error) {
	key, err := newSymKey()
	if err != nil {
		return nil, err
	}
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	p := &pairing{
		topic:      key.topic(),
		key:        key,
		priv:       priv,
		proposalID: newRPCID(),
		expiry:     time.Now().Add(pairingTTL).Truncate(time.Second),
		done:       make(chan struct{}),
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.keys[p.topic] = &topicKey{key: key, priv: priv}
	c.pairings[p.topic] = p
	c.mu.Unlock()

	// The wallet answers on the pairing topic: listen before proposing. The mailbox keeps the
	// proposal until the phone scans the code. (The SDK proposes with wc_proposeSession and
	// relies on the relay to subscribe it implicitly; plain irn_publish works with every relay.)
	if err := c.relay.subscribe(ctx, p.topic); err != nil {
		c.abandon(p, err)
		return nil, fmt.Errorf("pair: %w", err)
	}
	prop := proposal{
		RequiredNamespaces: map[string]namespace{},
		OptionalNamespaces: map[string]namespace{"eip155": {
			Chains:  []string{c.caip2},
			Methods: proposedMethods,
			Events:  proposedEvents,
		}},
		Relays:          []relayProtocol{{Protocol: "irn"}},
		Proposer:        participant{PublicKey: hex.EncodeToString(priv.PublicKey().Bytes()), Metadata: c.opts.Metadata},
		ExpiryTimestamp: p.expiry.Unix(),
		PairingTopic:    p.topic,
		ID:              p.proposalID,
	}
	if err := c.send(ctx, p.topic, key, p.proposalID, "wc_sessionPropose", prop, pairingTTL, 1100, true); err != nil {
		c.abandon(p, err)
		return nil, fmt.Errorf("pair: %w", err)
	}
	uri := pairingURI{Topic: p.topic, SymKey: key, RelayProtocol: "irn", Expiry: p.expiry}
	return &Pairing{URI: uri.String(), Expiry: p.expiry, p: p}, nil
}

// WaitSession waits until the phone approves the proposal (the session is then connected and
// saved), rejects it (ErrRejected), or the QR code expires (ErrExpired). Cancelling ctx
// abandons the proposal.
func (c *Client) WaitSession(ctx context.Context, pr *Pairing) (*Session, error) {
	if pr == nil || pr.p == nil {
		return nil, errors.New("walletconnect: not a Pairing from Pair")
	}
	p := pr.p // it may have finished already (the phone was quick): its outcome is kept in p
	t := time.NewTimer(time.Until(p.expiry))
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		c.abandon(p, fmt.Errorf("the pairing code: %w", ErrExpired))
	case <-ctx.Done():
		c.abandon(p, ctx.Err())
	}
	<-p.done
	c.mu.Lock()
	delete(c.pairings, p.topic)
	c.mu.Unlock()
	return p.sess, p.err
}

// abandon ends a pairing that did not lead to a session and stops listening on its topics.
func (c *Client) abandon(p *pairing, err error) {
	p.finish(nil, err)
	c.mu.Lock()
	delete(c.pairings, p.topic)
	topics := []string{}
	if c.sess == nil || c.sess.rec.PairingTopic != p.topic {
		delete(c.keys, p.topic)
		topics = append(topics, p.topic)
	}
	if p.sessionTopic != "" && (c.sess == nil || c.sess.rec.Topic != p.sessionTopic) {
		delete(c.keys, p.sessionTopic)
		topics = append(topics, p.sessionTopic)
	}
	c.mu.Unlock()
	if errors.Is(err, ErrClosed) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), respondWait)
	defer cancel()
	for _, t := range topics {
		_ = c.relay.unsubscribe(ctx, t)
	}
}

// onProposalResponse handles the wallet's answer to our proposal: a rejection, or its public
// key, from which the session key and topic follow.
func (c *Client) onProposalResponse(p *pairing, m rpcMessage) {
	if m.Error != nil {
		we := &WalletError{Code: m.Error.Code, Message: m.Error.Message}
		err := fmt.Errorf("the wallet declined the connection: %w", we)
		if !errors.Is(we, ErrRejected) {
			err = fmt.Errorf("the wallet refused the connection: %w", we)
		}
		c.abandon(p, err)
		return
	}
	var res struct {
		Relay              relayProtocol `json:"relay"`
		ResponderPublicKey string        `json:"responderPublicKey"`
	}
	if err := json.Unmarshal(m.Result, &res); err != nil {
		c.abandon(p, fmt.Errorf("the wallet's answer to the proposal is malformed: %w", err))
		return
	}
	pub, err := hex.DecodeString(res.ResponderPublicKey)
	if err != nil || len(pub) != 32 {
		c.abandon(p, errors.New("the wallet's public key is not 32 bytes of hex"))
		return
	}
	key, err := deriveSymKey(p.priv, pub)
	if err != nil {
		c.abandon(p, fmt.Errorf("session key: %w", err))
		return
	}
	c.mu.Lock()
	if p.sessionTopic != "" { // answered already
		c.mu.Unlock()
		return
	}
	p.sessionTopic, p.sessionKey, p.responder = key.topic(), key, strings.ToLower(res.ResponderPublicKey)
	c.keys[p.sessionTopic] = &topicKey{key: key}
	c.mu.Unlock()
	// The wallet sends wc_sessionSettle on the session topic; the mailbox keeps it until we
	// subscribe. (The relay may subscribe the wallet implicitly; we never rely on it for us.)
	ctx, cancel := context.WithTimeout(context.Background(), relayCallTimeout)
	defer cancel()
	if err := c.relay.subscribe(ctx, p.sessionTopic); err != nil {
		c.abandon(p, fmt.Errorf("subscribe to the session: %w", err))
	}
}

// settleParams is wc_sessionSettle's.
type settleParams struct {
	Relay      relayProtocol        `json:"relay"`
	Namespaces map[string]namespace `json:"namespaces"`
	Controller participant          `json:"controller"`
	Expiry     int64                `json:"expiry"`
}

// onSettle completes a pairing: the wallet's wc_sessionSettle on the new session topic.
func (c *Client) onSettle(topic string, m rpcMessage) {
	c.mu.Lock()
	var p *pairing
	for _, q := range c.pairings {
		if q.sessionTopic == topic {
			p = q
		}
	}
	c.mu.Unlock()
	if p == nil {
		return // settled already (a redelivery) or abandoned
	}
	var sp settleParams
	if err := json.Unmarshal(m.Params, &sp); err != nil {
		c.respond(topic, m.ID, nil, &rpcError{Code: 1005, Message: "Invalid session settle request"}, 1103, pairingTTL)
		c.abandon(p, fmt.Errorf("the wallet's session is malformed: %w", err))
		return
	}
	fail := func(reason string) {
		c.respond(topic, m.ID, nil, &rpcError{Code: 1005, Message: "Invalid session settle request: " + reason}, 1103, pairingTTL)
		c.abandon(p, errors.New("the wallet's session is not usable: "+reason))
	}
	now := time.Now()
	switch {
	case !strings.EqualFold(sp.Controller.PublicKey, p.responder):
		fail("controller key differs from the responder's")
		return
	case sp.Expiry <= now.Unix() || sp.Expiry > now.Add(sessionMaxTTL+time.Hour).Unix():
		fail(fmt.Sprintf("expiry %d is out of range", sp.Expiry))
		return
	}
	ns := sp.Namespaces["eip155"]
	accounts := c.accountsOnChain(ns.Accounts)
	if len(accounts) == 0 {
		fail("no account on " + c.caip2)
		return
	}
	if !contains(ns.Methods, "eth_sendTransaction") {
		fail("eth_sendTransaction not allowed")
		return
	}
	pk := hexKey(p.key)
	rec := sessionRecord{
		Topic:         topic,
		Key:           hexKey(p.sessionKey),
		PairingTopic:  p.topic,
		PairingKey:    &pk,
		PeerPublicKey: p.responder,
		Peer:          sp.Controller.Metadata,
		Accounts:      accounts,
		Account:       accountAddress(accounts[0]),
		ChainID:       c.opts.ChainID,
		Expiry:        sp.Expiry,
	}
	c.mu.Lock()
	var old *sessionRecord
	if c.sess != nil {
		o := c.sess.rec
		old = &o
	}
	c.installLocked(rec)
	save := c.persistLocked()
	s := c.sessionLocked()
	c.mu.Unlock()
	save()
	c.respond(topic, m.ID, true, nil, 1103, pairingTTL)
	p.finish(s, nil)
	if old != nil { // the new phone replaces the old session: tell the old wallet
		c.sendDelete(*old)
	}
	c.changed()
}

// accountsOnChain keeps the CAIP-10 accounts ("eip155:<id>:0x…") on our chain.
func (c *Client) accountsOnChain(all []string) []string {
	var out []string
	for _, a := range all {
		if rest, ok := strings.CutPrefix(a, c.caip2+":"); ok && common.IsHexAddress(rest) {
			out = append(out, a)
		}
	}
	return out
}

// accountAddress is the checksummed address of a CAIP-10 account or a plain address.
func accountAddress(a string) string {
	if i := strings.LastIndexByte(a, ':'); i >= 0 {
		a = a[i+1:]
	}
	if !common.IsHexAddress(a) {
		return ""
	}
	return common.HexToAddress(a).Hex()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
