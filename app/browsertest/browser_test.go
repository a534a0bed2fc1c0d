// Package browsertest runs the window's sharing flow in a real browser: Debian's Chromium,
// driven by playwright-core (flow.mjs), shows the real frontend bundle, whose bound methods are
// the real app.App over real profiles (backend/share: an embedded loopback IPFS node each, one
// local chain of the test's own). See bridge_test.go for how the page reaches App.
//
// Run it with make test-browser (part of make test): it builds the bundle and installs the
// pinned playwright-core first.
package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datashare/datashare/app"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/internal/testreal"
)

const passphrase = "correct horse battery staple"

// profile is one person's app in the test, with its bridge and the service App opened.
type profile struct {
	app     *app.App
	bridge  *bridge
	dialogs *dialogs

	mu  sync.Mutex
	svc app.Service
}

func (p *profile) service(t *testing.T) app.Service {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.svc == nil {
		t.Fatal("the profile never opened")
	}
	return p.svc
}

func startProfile(t *testing.T, dist, localnet string) *profile {
	t.Helper()
	p := &profile{bridge: newBridge(dist), dialogs: &dialogs{dir: t.TempDir()}}
	open := func(ctx context.Context, cfg share.Config) (app.Service, error) {
		s, err := app.OpenShare(ctx, cfg)
		if err == nil {
			p.mu.Lock()
			p.svc = s
			p.mu.Unlock()
		}
		return s, err
	}
	p.app = app.New(app.Options{
		Emitter: p.bridge, Dialogs: p.dialogs, Open: open,
		Config: share.Config{
			DataDir: t.TempDir(), LocalnetDir: localnet, NoKeyring: true, Loopback: true, IPFSMode: "embedded",
			RelayURL: "ws://127.0.0.1:9", // no phone wallet: nothing may leave the loopback
		},
	})
	p.bridge.app = p.app
	if err := p.bridge.serve(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.app.Startup(ctx)
	t.Cleanup(func() {
		p.bridge.close()
		p.app.Shutdown(context.Background())
		cancel()
	})
	return p
}

// TestShareInBrowser: A publishes and shares with B, B sees it under Shared with me and
// downloads identical bytes; A makes a link that C (no account, no key) opens; A revokes B and
// publishes a new version, which B cannot open. Every step is done in the page, as a person
// would (the keyboard for publish, share and registering the key).
func TestShareInBrowser(t *testing.T) {
	chromium := testreal.NeedCommand(t, "chromium", "Debian package chromium")
	node := testreal.NeedCommand(t, "node", "Debian package nodejs")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(root, "frontend", "dist")
	_, err = os.Stat(filepath.Join(dist, "index.html"))
	testreal.Need(t, "the built frontend (make frontend)", err)
	_, err = os.Stat(filepath.Join("node_modules", "playwright-core", "package.json"))
	testreal.Need(t, "playwright-core (npm ci in app/browsertest; make test-browser does it)", err)

	start := time.Now()
	localnet := t.TempDir()
	a := startProfile(t, dist, localnet)
	b := startProfile(t, dist, localnet)
	c := startProfile(t, dist, localnet)

	data := t.TempDir()
	v1 := filepath.Join(data, "survey-2026.csv")
	v1Bytes := []byte("id,answer\n1,yes\n2,no\n3,yes\n")
	if err := os.WriteFile(v1, v1Bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	v2 := filepath.Join(data, "survey-2026-v2.csv")
	if err := os.WriteFile(v2, []byte("id,answer\n1,yes\n2,no\n3,yes\n4,no (new)\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.dialogs.queue(v1, v2) // the chooser: the first publish, then the new version

	shot := os.Getenv("BROWSER_SCREENSHOT") // make screenshots sets it to docs/screenshots/share.png
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "share.png")
	}
	failShots := t.TempDir()
	in, err := json.Marshal(map[string]any{
		"chromium": chromium, "userDataDir": t.TempDir(), "passphrase": passphrase, "name": filepath.Base(v1),
		"a": map[string]string{"url": a.bridge.url}, "b": map[string]string{"url": b.bridge.url}, "c": map[string]string{"url": c.bridge.url},
		"screenshot": shot, "failShots": failShots, "timeoutMs": 45000,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "flow.mjs")
	cmd.Env = append(os.Environ(), "FLOW="+string(in))
	cmd.WaitDelay = 10 * time.Second // a killed flow's browser does not hold the test up
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var last map[string]any
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Logf("flow: %s", sc.Text())
			continue
		}
		if s, ok := m["step"].(string); ok {
			steps[s] = m
			t.Logf("%5.1fs %s", time.Since(start).Seconds(), s)
		}
		last = m
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the browser flow failed (%v); screenshots of the pages in %s:\n%s", err, failShots, stderr.String())
	}
	if last == nil || last["done"] != true {
		t.Fatalf("the flow ended without its result: %v\n%s", last, stderr.String())
	}
	t.Logf("the whole flow took %.1fs", time.Since(start).Seconds())

	// What the page showed, checked.
	if s := steps["a shared with b"]; s["showsFee"] != true {
		t.Errorf("the share's approval (%v) showed no network fee", s["approval"])
	}
	if q, _ := steps["a made a link"]["qr"].(float64); q != 1 {
		t.Errorf("the new link showed %v QR codes", q)
	}
	expl, _ := steps["a revoked b"]["explanation"].(string)
	if !strings.Contains(expl, "cannot be taken back") || !strings.Contains(expl, "new version") {
		t.Errorf("the revoke dialog did not say what revoking cannot do: %q", expl)
	}
	if last["bVersion"] != "1" {
		t.Errorf("after the new version B lists version %v of the dataset, want 1", last["bVersion"])
	}

	// The bytes B and C saved are the published ones.
	for _, got := range []struct {
		who, path string
	}{{"B", filepath.Join(b.dialogs.dir, filepath.Base(v1))}, {"C", filepath.Join(c.dialogs.dir, "shared dataset")}} {
		saved, err := os.ReadFile(got.path)
		if err != nil {
			t.Errorf("%s saved nothing where the dialog said: %v", got.who, err)
			continue
		}
		if !bytes.Equal(saved, v1Bytes) {
			t.Errorf("%s saved %q, want %q", got.who, saved, v1Bytes)
		}
	}

	// B cannot open version 2: its key was never given to B.
	id := datasetID(t, a.service(t), filepath.Base(v1))
	_, err = b.service(t).Fetch(t.Context(), id, filepath.Join(t.TempDir(), "v2"), share.FetchOptions{Version: 2}, nil)
	if share.Code(err) != share.CodeNoAccess {
		t.Fatalf("B fetching version 2 after the revoke: %v (code %s), want %s", err, share.Code(err), share.CodeNoAccess)
	}
}

func datasetID(t *testing.T, svc app.Service, name string) uint64 {
	t.Helper()
	ds, err := svc.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name == name && d.ID > 0 {
			if d.Version != 2 {
				t.Errorf("A's dataset is at version %d after the update, want 2", d.Version)
			}
			return d.ID
		}
	}
	t.Fatalf("A lists no dataset %s: %+v", name, ds)
	return 0
}
