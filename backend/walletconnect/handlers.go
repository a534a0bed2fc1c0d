package walletconnect

import (
	"context"
	"encoding/json"
	"time"
)

// day is the TTL of most answers (the SDK's).
const day = 24 * time.Hour

// onRequest answers a request from the wallet, on a session or pairing topic.
func (c *Client) onRequest(topic string, m rpcMessage) {
	c.mu.Lock()
	isSession := c.sess != nil && c.sess.rec.Topic == topic
	isPairing := c.sess != nil && c.sess.rec.PairingTopic == topic
	_, pending := c.pairings[topic]
	c.mu.Unlock()

	switch m.Method {
	case "wc_sessionSettle":
		c.onSettle(topic, m)
	case "wc_sessionPing":
		if isSession {
			c.respond(topic, m.ID, true, nil, 1115, day)
		}
	case "wc_sessionEvent":
		if isSession {
			c.onEvent(topic, m)
		}
	case "wc_sessionUpdate":
		if isSession {
			c.onUpdate(topic, m)
		}
	case "wc_sessionExtend":
		if isSession {
			c.onExtend(topic, m)
		}
	case "wc_sessionDelete":
		if isSession {
			var reason struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			_ = json.Unmarshal(m.Params, &reason)
			c.respond(topic, m.ID, true, nil, 1113, day)
			c.dropSession(topic, "ended in the wallet: "+truncate(reason.Message, 100))
		}
	case "wc_pairingPing":
		if isPairing || pending {
			c.respond(topic, m.ID, true, nil, 1003, 30*time.Second)
		}
	case "wc_pairingDelete":
		switch {
		case isPairing:
			// The pairing ends; the session lives on (it has its own topic and key).
			c.respond(topic, m.ID, true, nil, 1001, day)
			save := func() {}
			c.mu.Lock()
			if c.sess != nil && c.sess.rec.PairingTopic == topic {
				delete(c.keys, topic)
				c.sess.rec.PairingTopic, c.sess.rec.PairingKey = "", nil
				save = c.persistLocked()
			}
			c.mu.Unlock()
			save()
			c.unsubscribeLater(topic)
		case pending:
			c.respond(topic, m.ID, true, nil, 1001, day)
			c.mu.Lock()
			p := c.pairings[topic]
			c.mu.Unlock()
			if p != nil {
				c.abandon(p, errWalletDeletedPairing)
			}
		}
	default:
		if isSession || isPairing || pending {
			c.respond(topic, m.ID, nil, &rpcError{Code: 10001, Message: "Unsupported method " + truncate(m.Method, 60)}, 0, day)
		}
	}
}

var errWalletDeletedPairing = &WalletError{Code: 6000, Message: "the wallet deleted the pairing"}

func (c *Client) unsubscribeLater(topic string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), respondWait)
		defer cancel()
		_ = c.relay.unsubscribe(ctx, topic)
	}()
}

// onEvent handles accountsChanged and chainChanged.
func (c *Client) onEvent(topic string, m rpcMessage) {
	var p struct {
		Event struct {
			Name string          `json:"name"`
			Data json.RawMessage `json:"data"`
		} `json:"event"`
		ChainID string `json:"chainId"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil {
		c.respond(topic, m.ID, nil, &rpcError{Code: 1002, Message: "Invalid event"}, 1111, pairingTTL)
		return
	}
	c.respond(topic, m.ID, true, nil, 1111, pairingTTL)
	changed := false
	save := func() {}
	c.mu.Lock()
	if c.sess != nil && c.sess.rec.Topic == topic {
		r := &c.sess.rec
		switch p.Event.Name {
		case "accountsChanged":
			var list []string
			if json.Unmarshal(p.Event.Data, &list) == nil && len(list) > 0 {
				if a := accountAddress(list[0]); a != "" && a != r.Account {
					r.Account = a
					caip := c.caip2 + ":" + a
					if !contains(r.Accounts, caip) {
						r.Accounts = append([]string{caip}, r.Accounts...)
					}
					changed = true
				}
			}
		case "chainChanged":
			if id, ok := parseChainID(p.Event.Data); ok && id != r.WalletChainID {
				r.WalletChainID = id
				changed = true
			}
		}
		if changed {
			save = c.persistLocked()
		}
	}
	c.mu.Unlock()
	save()
	if changed {
		c.changed()
	}
}

// onUpdate takes the wallet's new namespaces (accounts).
func (c *Client) onUpdate(topic string, m rpcMessage) {
	var p struct {
		Namespaces map[string]namespace `json:"namespaces"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil || p.Namespaces == nil {
		c.respond(topic, m.ID, nil, &rpcError{Code: 1003, Message: "Invalid update request"}, 1105, day)
		return
	}
	c.respond(topic, m.ID, true, nil, 1105, day)
	c.mu.Lock()
	if c.sess == nil || c.sess.rec.Topic != topic {
		c.mu.Unlock()
		return
	}
	r := &c.sess.rec
	r.Accounts = c.accountsOnChain(p.Namespaces["eip155"].Accounts)
	keep := false
	for _, a := range r.Accounts {
		keep = keep || accountAddress(a) == r.Account
	}
	if !keep {
		r.Account = ""
		if len(r.Accounts) > 0 {
			r.Account = accountAddress(r.Accounts[0])
		}
	}
	save := c.persistLocked()
	c.mu.Unlock()
	save()
	c.changed()
}

// onExtend moves the expiry: to params.expiry when given (the spec), else to now + 7 days (what
// SDK 2.25.0 sends: empty params, each side computing the new expiry).
func (c *Client) onExtend(topic string, m rpcMessage) {
	var p struct {
		Expiry int64 `json:"expiry"`
	}
	_ = json.Unmarshal(m.Params, &p)
	now := time.Now()
	exp := now.Add(sessionMaxTTL).Unix()
	if p.Expiry != 0 {
		if p.Expiry <= now.Unix() || p.Expiry > now.Add(sessionMaxTTL+time.Hour).Unix() {
			c.respond(topic, m.ID, nil, &rpcError{Code: 1004, Message: "Invalid extend request"}, 1107, day)
			return
		}
		exp = p.Expiry
	}
	c.respond(topic, m.ID, true, nil, 1107, day)
	c.mu.Lock()
	if c.sess == nil || c.sess.rec.Topic != topic || exp <= c.sess.rec.Expiry {
		c.mu.Unlock()
		return
	}
	c.sess.rec.Expiry = exp
	c.sess.timer.Reset(time.Until(time.Unix(exp, 0)))
	save := c.persistLocked()
	c.mu.Unlock()
	save()
	c.changed()
}
