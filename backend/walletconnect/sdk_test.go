package walletconnect_test

// Conformance tests against the real WalletConnect SDK (@walletconnect/sign-client 2.25.0 in
// testdata/wallet) acting as the phone wallet, through the local relay of package wctest and on
// the embedded dev chain. Nothing leaves 127.0.0.1.

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
	"github.com/datashare/datashare/contracts"
)

// TestSDKFlow: pair → settle → personal_sign (verified) → eth_signTypedData_v4 (verified) →
// eth_sendTransaction (receipt confirmed on our own node) → ping → delete, with the relay's
// implicit subscriptions on (as the production relay) and off (nothing may depend on them).
func TestSDKFlow(t *testing.T) {
	for _, implicit := range []bool{true, false} {
		name := "implicit subscription on"
		if !implicit {
			name = "implicit subscription off"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := wctest.StartRelay(t, wctest.RelayOptions{})
			r.SetFaults(wctest.Faults{NoImplicitSubscribe: !implicit})
			ch := devnettest.Client(t)
			c := newClient(t, r, clientOptions{})
			s, w := connect(t, r, c, wctest.WalletOptions{
				Key:                   devnettest.FundedKey(t),
				RPCURL:                devnettest.Shared(t).RPCURL(),
				SubscribeSessionTopic: !implicit,
			})
			t.Logf("connected: %s", describe(s))
			if s.Wallet.Name != "Test Wallet (WalletConnect SDK)" {
				t.Errorf("wallet name %q", s.Wallet.Name)
			}
			if time.Until(s.Expiry) < 6*24*time.Hour {
				t.Errorf("session expiry %s, want about 7 days", s.Expiry)
			}
			ctx := ctxFor(t, 2*time.Minute)

			msg := []byte("DataShare wants to check it is you")
			sig, err := c.PersonalSign(ctx, msg)
			if err != nil {
				t.Fatalf("PersonalSign: %v", err)
			}
			pub, err := crypto.SigToPub(accounts.TextHash(msg), append(sig[:64:64], sig[64]-27))
			if err != nil || crypto.PubkeyToAddress(*pub) != w.Address {
				t.Fatalf("personal_sign signature does not recover to the wallet (%v)", err)
			}

			typed := `{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"}],"Grant":[{"name":"dataset","type":"uint256"},{"name":"to","type":"address"}]},"primaryType":"Grant","domain":{"name":"DataShare","chainId":1337},"message":{"dataset":"7","to":"0x0000000000000000000000000000000000000001"}}`
			if _, err := c.SignTypedData(ctx, []byte(typed)); err != nil {
				t.Fatalf("SignTypedData: %v", err)
			}

			ds := contracts.NewDataShare()
			data := ds.PackRegisterKey([32]byte{1, 2, 3})
			hash, err := c.SendTransaction(ctx, walletconnect.Transaction{To: ch.Contract(), Data: data, Gas: 200_000})
			if err != nil {
				t.Fatalf("SendTransaction: %v", err)
			}
			rcpt, err := ch.WaitReceipt(ctx, hash)
			if err != nil {
				t.Fatalf("receipt of %s: %v", hash.Hex(), err)
			}
			if rcpt.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("transaction %s failed", hash.Hex())
			}
			key, err := ch.EncryptionKey(ctx, w.Address)
			if err != nil || key != ([32]byte{1, 2, 3}) {
				t.Fatalf("registered key %x, %v", key, err)
			}

			if err := c.Ping(ctx); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if _, err := w.Wait(ctx, "PING"); err != nil {
				t.Fatal(err)
			}

			if err := c.Disconnect(ctx); err != nil {
				t.Fatalf("Disconnect: %v", err)
			}
			if c.Session() != nil {
				t.Fatal("a session after Disconnect")
			}
			if _, err := w.Wait(ctx, "DELETED"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.PersonalSign(ctx, msg); !errors.Is(err, walletconnect.ErrNoSession) {
				t.Fatalf("PersonalSign after Disconnect: %v, want ErrNoSession", err)
			}
		})
	}
}

// TestSDKRejectsSession: the user declines the connection on the phone.
func TestSDKRejectsSession(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newClient(t, r, clientOptions{})
	ctx := ctxFor(t, time.Minute)
	p, err := c.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wctest.StartWallet(t, wctest.WalletOptions{RelayURL: r.URL(), URI: p.URI, Key: unfundedKey(t), RejectSession: true})
	_, err = c.WaitSession(ctx, p)
	if !errors.Is(err, walletconnect.ErrRejected) {
		t.Fatalf("WaitSession: %v, want ErrRejected", err)
	}
	var we *walletconnect.WalletError
	if !errors.As(err, &we) || we.Code != 5000 {
		t.Errorf("error %v, want wallet error 5000", err)
	}
	if c.Session() != nil {
		t.Error("a session after a rejection")
	}
}

// TestSDKRejectsRequest: the user declines a transaction on the phone.
func TestSDKRejectsRequest(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newClient(t, r, clientOptions{})
	connect(t, r, c, wctest.WalletOptions{Requests: wctest.RejectTx})
	ctx := ctxFor(t, time.Minute)
	_, err := c.SendTransaction(ctx, walletconnect.Transaction{To: devnettest.Shared(t).Contract(), Data: []byte{1}, Value: big.NewInt(1)})
	if !errors.Is(err, walletconnect.ErrRejected) {
		t.Fatalf("SendTransaction: %v, want ErrRejected", err)
	}
	if _, err := c.PersonalSign(ctx, []byte("x")); !errors.Is(err, walletconnect.ErrRejected) {
		t.Fatalf("PersonalSign: %v, want ErrRejected", err)
	}
}

// TestSDKNeverAnswers: a request the phone never answers expires.
func TestSDKNeverAnswers(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newClient(t, r, clientOptions{requestExpiry: 2 * time.Second})
	_, w := connect(t, r, c, wctest.WalletOptions{Requests: wctest.NeverAnswer})
	ctx := ctxFor(t, time.Minute)
	start := time.Now()
	_, err := c.PersonalSign(ctx, []byte("hello"))
	if !errors.Is(err, walletconnect.ErrExpired) {
		t.Fatalf("PersonalSign: %v, want ErrExpired", err)
	}
	if d := time.Since(start); d < 2*time.Second || d > 10*time.Second {
		t.Errorf("expired after %s, want about 2 s", d)
	}
	if _, err := w.Wait(ctx, "IGNORING"); err != nil {
		t.Fatal(err) // the wallet did get it
	}
	if _, err := w.Wait(ctx, "REQUEST_EXPIRED"); err != nil {
		t.Fatal(err) // and its SDK saw the same expiry
	}
}

// TestSDKSocketDroppedMidRequest: the relay drops our socket right after we publish a request;
// the client reconnects, re-subscribes, and the wallet's answer (kept in the mailbox) arrives.
func TestSDKSocketDroppedMidRequest(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newClient(t, r, clientOptions{})
	_, w := connect(t, r, c, wctest.WalletOptions{})
	dropped := false
	r.SetFaults(wctest.Faults{CloseAfterPublish: func(m wctest.Message) bool {
		if m.Tag == 1108 && !dropped {
			dropped = true
			return true
		}
		return false
	}})
	before := r.Connections("")
	ctx := ctxFor(t, time.Minute)
	sig, err := c.PersonalSign(ctx, []byte("through a reconnect"))
	if err != nil {
		t.Fatalf("PersonalSign across a dropped socket: %v", err)
	}
	if len(sig) != 65 {
		t.Fatalf("signature of %d bytes", len(sig))
	}
	if r.Connections("") <= before {
		t.Fatal("the socket was not dropped and re-opened")
	}
	if got := len(w.Events("REQUEST")); got != 1 {
		t.Errorf("the wallet got the request %d times, want 1", got)
	}
}

// TestSDKDuplicateDelivery: the relay delivers every message to us twice; each is handled
// once. (Only to us: SDK 2.25.0 itself sometimes handles a duplicate delivered back to back
// twice — it approved one proposal twice, making two sessions.)
func TestSDKDuplicateDelivery(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newClient(t, r, clientOptions{})
	us := c.ClientID()
	r.SetFaults(wctest.Faults{Duplicate: func(_ wctest.Message, to string) bool { return to == us }})
	_, w := connect(t, r, c, wctest.WalletOptions{})
	ctx := ctxFor(t, time.Minute)
	if _, err := c.PersonalSign(ctx, []byte("once")); err != nil {
		t.Fatal(err)
	}
	if err := w.Command("PING"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Wait(ctx, "PONG"); err != nil {
		t.Fatal(err)
	}
	// The settle (1102) and the wallet's ping (1114) reached us twice each; we answered each
	// once (1103, 1115).
	fromUs := func(tag int) func(wctest.Message) bool {
		return func(m wctest.Message) bool { return m.Tag == tag && m.From != w.ClientID }
	}
	for _, tag := range []int{1103, 1115} {
		if n := len(r.Published(fromUs(tag))); n != 1 {
			t.Errorf("we answered tag %d %d times, want 1", tag-1, n)
		}
	}
	toUs := len(r.Published(func(m wctest.Message) bool { return m.From == w.ClientID }))
	if st := r.Stats(); st.Delivered < len(r.Published(nil))+toUs-1 {
		t.Errorf("%d deliveries for %d messages, %d of them to us: duplication did not happen", st.Delivered, len(r.Published(nil)), toUs)
	}
}

// TestSDKSessionSurvivesRestart: the session is saved in the Store; a new client (the app
// restarted) uses it without a new scan.
func TestSDKSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	store := &walletconnect.MemoryStore{}
	c1 := newClient(t, r, clientOptions{store: store})
	s1, w := connect(t, r, c1, wctest.WalletOptions{})
	c1.Close()

	c2 := newClient(t, r, clientOptions{store: store})
	s2 := c2.Session()
	if s2 == nil || s2.Topic != s1.Topic || s2.Account != s1.Account || !s2.Expiry.Equal(s1.Expiry) || s2.Wallet.Name != s1.Wallet.Name {
		t.Fatalf("after a restart: %s, want %s", describe(s2), describe(s1))
	}
	ctx := ctxFor(t, time.Minute)
	if err := c2.Ping(ctx); err != nil {
		t.Fatalf("Ping after a restart: %v", err)
	}
	if _, err := c2.PersonalSign(ctx, []byte("after a restart")); err != nil {
		t.Fatalf("PersonalSign after a restart: %v", err)
	}
	if n := len(w.Events("PROPOSAL")); n != 1 {
		t.Errorf("%d proposals, want 1 (no new scan)", n)
	}
}

// TestSDKWalletEvents: the wallet emits accountsChanged and chainChanged, extends and updates
// the session, and finally ends it from the phone.
func TestSDKWalletEvents(t *testing.T) {
	t.Parallel()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	changes := make(chan *walletconnect.Session, 16)
	c := newClient(t, r, clientOptions{onChange: func(s *walletconnect.Session) { changes <- s }})
	s, w := connect(t, r, c, wctest.WalletOptions{})
	ctx := ctxFor(t, time.Minute)
	// until waits for a session change that ok accepts (skipping others, such as the expiry
	// moving on EXTEND), and returns it.
	until := func(what string, ok func(*walletconnect.Session) bool) *walletconnect.Session {
		t.Helper()
		for {
			select {
			case got := <-changes:
				if (got == nil || got.Topic == s.Topic) && ok(got) {
					return got
				}
			case <-ctx.Done():
				t.Fatalf("no session change after %s", what)
			}
		}
	}
	account := func(a common.Address) func(*walletconnect.Session) bool {
		return func(s *walletconnect.Session) bool { return s != nil && s.Account == a }
	}
	until("connecting", account(w.Address))

	other := crypto.PubkeyToAddress(unfundedKey(t).PublicKey)
	if err := w.Command(`EMIT accountsChanged ["` + other.Hex() + `"]`); err != nil {
		t.Fatal(err)
	}
	until("accountsChanged", account(other))
	if err := w.Command(`EMIT chainChanged 1337`); err != nil {
		t.Fatal(err)
	}
	until("chainChanged", func(s *walletconnect.Session) bool { return s != nil && s.WalletChainID == 1337 })
	// Update and extend: we answer (1105, 1107). The SDK's own acknowledgement of these is racy
	// (createDelayedPromise drops an answer that arrives before update()/extend() return), so
	// the answers are checked at the relay.
	answered := func(tag int) {
		t.Helper()
		if _, err := r.WaitPublished(ctx, 1, func(m wctest.Message) bool { return m.Tag == tag && m.From == c.ClientID() }); err != nil {
			t.Fatalf("no answer with tag %d: %v", tag, err)
		}
	}
	if err := w.Command(`UPDATE ["eip155:1337:` + w.Address.Hex() + `"]`); err != nil {
		t.Fatal(err)
	}
	until("wc_sessionUpdate", account(w.Address))
	answered(1105)
	if err := w.Command("EXTEND"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Wait(ctx, "EXTENDED"); err != nil {
		t.Fatal(err)
	}
	answered(1107)
	if err := w.Command("DISCONNECT"); err != nil {
		t.Fatal(err)
	}
	until("the wallet disconnected", func(s *walletconnect.Session) bool { return s == nil })
	if c.Session() != nil {
		t.Fatal("Session() after the wallet disconnected")
	}
	for _, e := range w.Events("ERROR") {
		if !strings.Contains(strings.Join(e.Args, " "), "No matching key") {
			t.Errorf("wallet error: %v", e.Args)
		}
	}
}
