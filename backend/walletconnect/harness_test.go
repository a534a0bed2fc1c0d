package walletconnect_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	devnettest.Close()
	os.Exit(code)
}

// unfundedKey makes a key for wallets that only sign.
func unfundedKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testLogger sends the client's diagnostics to the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tlog struct{ t testing.TB }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

type clientOptions struct {
	store         walletconnect.Store
	requestExpiry time.Duration
	onChange      func(*walletconnect.Session)
}

// newClient makes a client of relay r for the dev chain; it is closed when the test ends.
func newClient(t testing.TB, r *wctest.Relay, o clientOptions) *walletconnect.Client {
	t.Helper()
	if o.store == nil {
		o.store = &walletconnect.MemoryStore{}
	}
	c, err := walletconnect.New(context.Background(), walletconnect.Options{
		RelayURL:        r.URL(),
		Metadata:        walletconnect.Metadata{Name: "DataShare (test)", Description: "tests", URL: "https://datashare.test", Icons: []string{}},
		ChainID:         devnet.ChainID,
		Store:           o.store,
		RequestExpiry:   o.requestExpiry,
		OnSessionChange: o.onChange,
		Logger:          testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ctxFor bounds one step of a test.
func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// connect pairs c with a new SDK wallet configured by w (URI and relay filled in).
func connect(t testing.TB, r *wctest.Relay, c *walletconnect.Client, w wctest.WalletOptions) (*walletconnect.Session, *wctest.Wallet) {
	t.Helper()
	ctx := ctxFor(t, time.Minute)
	p, err := c.Pair(ctx)
	if err != nil {
		t.Fatalf("Pair: %v", err)
	}
	w.RelayURL, w.URI = r.URL(), p.URI
	if w.Key == nil {
		w.Key = unfundedKey(t)
	}
	wallet := wctest.StartWallet(t, w)
	s, err := c.WaitSession(ctx, p)
	if err != nil {
		t.Fatalf("WaitSession: %v", err)
	}
	if s.Account != wallet.Address {
		t.Fatalf("session account %s, want the wallet's %s", s.Account.Hex(), wallet.Address.Hex())
	}
	return s, wallet
}

func describe(s *walletconnect.Session) string {
	if s == nil {
		return "no session"
	}
	return fmt.Sprintf("session %s account %s wallet %q expiry %s", s.Topic[:8], s.Account.Hex(), s.Wallet.Name, s.Expiry.Format(time.RFC3339))
}
