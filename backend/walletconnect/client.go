package walletconnect

import (
	"context"
	"crypto/ecdh"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// DefaultRelayURL is the public WalletConnect relay (run by Reown). It requires a project ID.
const DefaultRelayURL = "wss://relay.walletconnect.org"

// DefaultRequestExpiry is how long the phone has to answer a request, as in the SDK.
const DefaultRequestExpiry = 15 * time.Minute

// Timing of the protocol.
const (
	pairingTTL    = 5 * time.Minute    // the QR code, and the session proposal on the relay
	sessionMaxTTL = 7 * 24 * time.Hour // the longest a settle or extend may set
	pingWait      = 30 * time.Second   // Ping's own bound
	respondWait   = 15 * time.Second   // answering the wallet
)

// Metadata describes an app to its peer: ours is shown on the phone, the wallet's in our UI.
type Metadata struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	URL         string   `json:"url"`
	Icons       []string `json:"icons"`
}

// Options configures New.
type Options struct {
	// RelayURL is the relay's WebSocket URL; empty means DefaultRelayURL.
	RelayURL string
	// ProjectID is the Reown Cloud project ID the public relay requires (a public identifier,
	// not a secret). A local relay needs none.
	ProjectID string
	// Metadata is what the phone shows about this app.
	Metadata Metadata
	// ChainID is the chain transactions are for (eip155). Required.
	ChainID uint64
	// Store keeps the relay identity and the session. Required.
	Store Store
	// RequestExpiry is how long the phone has to answer a request; 0 means
	// DefaultRequestExpiry.
	RequestExpiry time.Duration
	// OnSessionChange, when set, is called after the session changes: connected, account or
	// expiry changed, or ended (nil). It runs on the goroutine that handles the wallet's
	// messages: keep it short, and do not wait there for the wallet (Ping, requests).
	OnSessionChange func(*Session)
	// Logger receives diagnostics (never keys); nil discards them.
	Logger *slog.Logger
}

// Session is the connection to a phone wallet, as the UI shows it.
type Session struct {
	Topic   string         // the session's relay topic (public, not a secret)
	Account common.Address // the account requests are for; zero if the wallet shares none on ChainID
	ChainID uint64         // the chain requests are for (Options.ChainID)
	Wallet  Metadata       // the wallet app
	Expiry  time.Time      // when the session ends unless the wallet extends it
	// WalletChainID is the chain the wallet last said it is on (chainChanged), 0 if it did not
	// say. Requests always name ChainID.
	WalletChainID uint64
}

// Pairing is a session proposal waiting for a phone to scan it.
type Pairing struct {
	URI    string    // the wc: URI to show as a QR code; it holds a key: do not log it
	Expiry time.Time // when the QR code stops working
	p      *pairing
}

// Client is the dApp side of WalletConnect v2 Sign: it pairs with a phone wallet and sends it
// requests. It holds at most one session. It is safe for concurrent use.
type Client struct {
	opts   Options
	caip2  string // "eip155:<ChainID>"
	relay  *relay
	log    *slog.Logger
	expiry time.Duration

	mu       sync.Mutex
	closed   bool
	keys     map[string]*topicKey // topic → key, for every topic we listen on
	pairings map[string]*pairing  // session proposals in flight, by pairing topic
	sess     *activeSession
	waiters  map[string]chan rpcMessage // our requests waiting for an answer, by id
	saveGen  uint64                     // the latest session state to persist (see persistLocked)

	// saveMu serialises writes of the session to the Store, which can be slow (a keyring, an
	// scrypt-protected file): they happen outside mu, so Session never waits for them.
	saveMu  sync.Mutex
	written uint64 // the generation last written, under saveMu
}

// topicKey decrypts one topic. priv is our X25519 key, for type 1 envelopes on a pairing topic.
type topicKey struct {
	key  symKey
	priv *ecdh.PrivateKey
}

// activeSession is the session in memory: the record plus what only lives in memory.
type activeSession struct {
	rec   sessionRecord
	gone  chan struct{} // closed when the session ends or is replaced
	timer *time.Timer   // ends the session at its expiry
}

// New makes a client and, if the Store holds a live session, resumes it (subscribing in the
// background; no network call is made here otherwise). It does not reach the relay before it is
// needed: Pair and requests report ErrRelayUnavailable.
func New(ctx context.Context, opts Options) (*Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Store == nil {
		return nil, errors.New("walletconnect: no Store")
	}
	if opts.ChainID == 0 {
		return nil, errors.New("walletconnect: no chain id")
	}
	if opts.RelayURL == "" {
		opts.RelayURL = DefaultRelayURL
	}
	u, err := url.Parse(opts.RelayURL)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, fmt.Errorf("walletconnect: relay URL must be ws:// or wss://, not %q", redactURL(opts.RelayURL))
	}
	if opts.Metadata.Name == "" {
		opts.Metadata.Name = "DataShare"
	}
	if opts.Metadata.Icons == nil {
		opts.Metadata.Icons = []string{}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	key, err := loadClientKey(opts.Store)
	if err != nil {
		return nil, err
	}
	c := &Client{
		opts:     opts,
		caip2:    "eip155:" + strconv.FormatUint(opts.ChainID, 10),
		log:      log,
		expiry:   opts.RequestExpiry,
		keys:     make(map[string]*topicKey),
		pairings: make(map[string]*pairing),
		waiters:  make(map[string]chan rpcMessage),
	}
	if c.expiry <= 0 {
		c.expiry = DefaultRequestExpiry
	}
	c.relay = newRelay(relayConfig{
		url:       opts.RelayURL,
		projectID: opts.ProjectID,
		key:       key,
		userAgent: "wc-2/go-datashare/" + runtime.GOOS + "/desktop",
		log:       log,
	}, c.onMessage)
	if err := c.restore(); err != nil {
		log.Warn("walletconnect: the saved session could not be resumed; pair again", "error", err.Error())
	}
	return c, nil
}

// restore resumes the saved session, if it is still valid.
func (c *Client) restore() error {
	b, ok, err := c.opts.Store.Secret(secretSession)
	if err != nil || !ok {
		return err
	}
	var rec sessionRecord
	if err := json.Unmarshal(b, &rec); err != nil || rec.Topic == "" || rec.Key.topicOf() != rec.Topic {
		_ = c.opts.Store.DeleteSecret(secretSession)
		return fmt.Errorf("damaged session record")
	}
	if time.Now().Unix() >= rec.Expiry || rec.ChainID != c.opts.ChainID {
		return c.opts.Store.DeleteSecret(secretSession)
	}
	c.mu.Lock()
	c.installLocked(rec)
	topics := []string{rec.Topic}
	if rec.PairingTopic != "" {
		topics = append(topics, rec.PairingTopic)
	}
	c.mu.Unlock()
	c.relay.watch(topics...)
	c.relay.start()
	return nil
}

func (k hexKey) topicOf() string { return symKey(k).topic() }

// installLocked makes rec the active session (replacing any other) and listens on its topics.
func (c *Client) installLocked(rec sessionRecord) {
	if c.sess != nil {
		c.endLocked()
	}
	s := &activeSession{rec: rec, gone: make(chan struct{})}
	c.keys[rec.Topic] = &topicKey{key: symKey(rec.Key)}
	if rec.PairingKey != nil {
		c.keys[rec.PairingTopic] = &topicKey{key: symKey(*rec.PairingKey)}
	}
	topic := rec.Topic
	s.timer = time.AfterFunc(time.Until(time.Unix(rec.Expiry, 0)), func() { c.expire(topic) })
	c.sess = s
}

// endLocked forgets the active session in memory (not in the Store) and wakes its requests.
func (c *Client) endLocked() {
	s := c.sess
	if s == nil {
		return
	}
	s.timer.Stop()
	close(s.gone)
	delete(c.keys, s.rec.Topic)
	if s.rec.PairingTopic != "" {
		delete(c.keys, s.rec.PairingTopic)
	}
	c.sess = nil
}

// ClientID is this app's identity on the relay: the did:key of its Ed25519 key (public).
func (c *Client) ClientID() string { return c.relay.clientID() }

// Session returns the connected session, or nil.
func (c *Client) Session() *Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return nil
	}
	return c.sessionLocked()
}

func (c *Client) sessionLocked() *Session {
	r := c.sess.rec
	s := &Session{
		Topic:         r.Topic,
		ChainID:       r.ChainID,
		Wallet:        r.Peer,
		Expiry:        time.Unix(r.Expiry, 0),
		WalletChainID: r.WalletChainID,
	}
	if common.IsHexAddress(r.Account) {
		s.Account = common.HexToAddress(r.Account)
	}
	return s
}

// persistLocked notes the session's current state (none: delete it) as the one to keep in the
// Store and returns the function that writes it. Call that after unlocking mu: a slow Store
// must not block Session (and so every caller that asks who the account is). Writes happen in
// the order of the states: an older state never overwrites a newer one. A Store that fails
// leaves the session working until Close.
func (c *Client) persistLocked() func() {
	c.saveGen++
	gen := c.saveGen
	var rec *sessionRecord
	if c.sess != nil {
		r := c.sess.rec
		rec = &r
	}
	return func() { c.persist(gen, rec) }
}

func (c *Client) persist(gen uint64, rec *sessionRecord) {
	c.saveMu.Lock()
	defer c.saveMu.Unlock()
	if gen <= c.written {
		return // a newer state is already written
	}
	c.written = gen
	if rec == nil {
		if err := c.opts.Store.DeleteSecret(secretSession); err != nil {
			c.log.Warn("walletconnect: could not delete the saved session", "error", err.Error())
		}
		return
	}
	b, err := rec.encode()
	if err == nil {
		err = c.opts.Store.SetSecret(secretSession, b)
	}
	if err != nil {
		c.log.Warn("walletconnect: the session could not be saved; it will end when the app quits", "error", err.Error())
	}
}

// changed tells OnSessionChange.
func (c *Client) changed() {
	if c.opts.OnSessionChange == nil {
		return
	}
	c.opts.OnSessionChange(c.Session())
}

// dropSession ends the session with this topic: forgets it, deletes it from the Store,
// unsubscribes its topics and tells OnSessionChange. why is logged.
func (c *Client) dropSession(topic, why string) {
	c.mu.Lock()
	if c.sess == nil || c.sess.rec.Topic != topic {
		c.mu.Unlock()
		return
	}
	rec := c.sess.rec
	c.endLocked()
	save := c.persistLocked()
	c.mu.Unlock()
	save()
	c.log.Info("walletconnect: session ended", "why", why)
	ctx, cancel := context.WithTimeout(context.Background(), respondWait)
	defer cancel()
	_ = c.relay.unsubscribe(ctx, rec.Topic)
	if rec.PairingTopic != "" {
		_ = c.relay.unsubscribe(ctx, rec.PairingTopic)
	}
	c.changed()
}

func (c *Client) expire(topic string) { c.dropSession(topic, "expired") }

// Close disconnects from the relay. The session stays saved: a new Client resumes it.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	for _, p := range c.pairings {
		p.finish(nil, ErrClosed)
	}
	if c.sess != nil {
		c.sess.timer.Stop()
		close(c.sess.gone)
		c.sess.gone = make(chan struct{}) // so that a later end does not close it twice
	}
	c.mu.Unlock()
	c.relay.close()
	return nil
}

// onMessage decrypts and routes a message the relay delivered.
func (c *Client) onMessage(in inbound) {
	c.mu.Lock()
	tk := c.keys[in.topic]
	c.mu.Unlock()
	if tk == nil {
		return // a topic we no longer listen on
	}
	env, err := decodeEnvelope(in.message)
	if err != nil {
		c.log.Warn("walletconnect: dropped a message", "topic", in.topic, "error", err.Error())
		return
	}
	var plain []byte
	switch env.typ {
	case envelopeType0:
		plain, err = env.open(tk.key)
	case envelopeType1:
		if tk.priv == nil {
			err = errors.New("type 1 envelope on a topic without a key pair")
			break
		}
		var k symKey
		if k, err = deriveSymKey(tk.priv, env.senderPublic); err == nil {
			plain, err = env.open(k)
		}
	case envelopeType2:
		// Link Mode's plaintext envelopes carry no authentication: over the relay anyone who
		// knows the topic could forge one. The SDK ignores them outside Link Mode, and so do we.
		err = errors.New("plaintext (type 2) envelope over the relay")
	}
	if err != nil {
		c.log.Warn("walletconnect: dropped a message", "topic", in.topic, "error", err.Error())
		return
	}
	var m rpcMessage
	if err := json.Unmarshal(plain, &m); err != nil || len(m.ID) == 0 {
		c.log.Warn("walletconnect: dropped a message that is not JSON-RPC", "topic", in.topic)
		return
	}
	if m.Method != "" {
		c.onRequest(in.topic, m)
		return
	}
	c.onResponse(in.topic, m)
}

// onResponse routes an answer to the request waiting for it.
func (c *Client) onResponse(topic string, m rpcMessage) {
	id := idKey(m.ID)
	c.mu.Lock()
	if p := c.pairings[topic]; p != nil && strconv.FormatUint(p.proposalID, 10) == id {
		c.mu.Unlock()
		c.onProposalResponse(p, m)
		return
	}
	ch := c.waiters[id]
	ok := ch != nil && c.sess != nil && c.sess.rec.Topic == topic
	if ok {
		delete(c.waiters, id)
	}
	c.mu.Unlock()
	if ok {
		ch <- m
	}
}

// parseChainID reads an eip155 chain id as the wallets send it: a number, a decimal or hex
// string, or a CAIP-2 "eip155:<id>".
func parseChainID(raw json.RawMessage) (uint64, bool) {
	var n uint64
	if json.Unmarshal(raw, &n) == nil {
		return n, true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, false
	}
	s = strings.TrimPrefix(s, "eip155:")
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		n, err := strconv.ParseUint(h, 16, 64)
		return n, err == nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}
