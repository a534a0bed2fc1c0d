package share_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// flakyRPC forwards JSON-RPC to a node, answering 503 to eth_getTransactionReceipt while failing
// is set: a node that is briefly overloaded.
func flakyRPC(t *testing.T, target string) (string, *atomic.Bool) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var failing atomic.Bool
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var call struct{ Method string }
		json.Unmarshal(body, &call)
		if failing.Load() && call.Method == "eth_getTransactionReceipt" {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &failing
}

// TestTransientErrorKeepsConfirmed: on start, a confirmed publish whose receipt the node fails
// to give (an error, not "not found") stays confirmed.
func TestTransientErrorKeepsConfirmed(t *testing.T) {
	a := open(t, share.Config{})
	n := a.Network()
	rpcURL, failing := flakyRPC(t, n.RPCURL)
	dir := t.TempDir()
	if err := config.SaveSettings(dir, config.Settings{Network: "custom", Networks: map[string]config.NetworkSettings{
		"custom": {RPCURL: rpcURL, ChainID: n.ChainID, Contract: n.Contract.Hex()},
	}}); err != nil {
		t.Fatal(err)
	}
	b := open(t, share.Config{DataDir: dir})
	devnettest.Fund(t, n.RPCURL, b.Account(), big.NewInt(params.Ether))
	path, _ := writeRandom(t, 10_000)
	d, err := b.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	failing.Store(true)
	b = open(t, share.Config{DataDir: dir})
	if err := b.WaitRecovered(t.Context()); err != nil {
		t.Fatal(err)
	}
	if jobs, err := b.Jobs(t.Context()); err != nil || len(jobs) != 0 {
		t.Fatalf("after a failing receipt call on start, jobs = %+v, %v", jobs, err)
	}
	failing.Store(false)
	list, err := b.List(t.Context())
	if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].Status != "published" {
		t.Fatalf("List = %+v, %v", list, err)
	}
}
