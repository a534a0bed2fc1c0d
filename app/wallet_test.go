package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect"
)

const testURI = "wc:5f1b0c2b8d7e4f6a9c3b2a1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f@2?expiryTimestamp=1900000000&relay-protocol=irn&symKey=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

var phoneStatus = share.WalletStatus{
	Approval: share.ApproveOnPhone, Connected: true, Account: "0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
	WalletName: "Test Wallet", RelayURL: "ws://127.0.0.1:9", Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
}

// pairer fakes the backend's pairing: PairWallet hands out codes, WaitWallet waits for the
// test to answer through result (or for ctx to end).
type pairer struct {
	mu       sync.Mutex
	pairs    int
	waiting  int // WaitWallet calls in progress
	overlaps int // PairWallet calls made while a WaitWallet was in progress
	result   chan error
	ended    chan error // what each WaitWallet returned
}

func newPairer(svc *fakeService) *pairer {
	p := &pairer{result: make(chan error, 4), ended: make(chan error, 8)}
	svc.pair = func(ctx context.Context) (share.WalletPairing, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.pairs++
		if p.waiting > 0 {
			p.overlaps++
		}
		return share.WalletPairing{URI: testURI, Expiry: time.Now().Add(5 * time.Minute).Truncate(time.Second)}, nil
	}
	svc.wait = func(ctx context.Context) (share.WalletStatus, error) {
		p.mu.Lock()
		p.waiting++
		p.mu.Unlock()
		var err error
		select {
		case err = <-p.result:
		case <-ctx.Done():
			err = fmt.Errorf("pair a phone wallet: %w", ctx.Err())
		}
		p.mu.Lock()
		p.waiting--
		p.mu.Unlock()
		p.ended <- err
		if err != nil {
			return share.WalletStatus{Approval: share.ApproveOnComputer}, err
		}
		return phoneStatus, nil
	}
	return p
}

func (h *harness) allEvents() string {
	h.ev.mu.Lock()
	defer h.ev.mu.Unlock()
	return fmt.Sprintf("%#v", h.ev.events)
}

func TestWalletStatusAndChangesReachTheFrontend(t *testing.T) {
	h := start(t, nil)
	h.svc.wallet = share.WalletStatus{Approval: share.ApproveOnComputer, Unavailable: "phone approval is not set up"}
	cfg := h.ready(t)
	st, err := h.app.WalletStatus()
	if err != nil || st.Approval != share.ApproveOnComputer {
		t.Fatalf("WalletStatus() = %+v, %v", st, err)
	}
	if cfg.OnWalletChange == nil || cfg.OnPhoneRequest == nil {
		t.Fatal("the service must be opened with OnWalletChange and OnPhoneRequest")
	}
	cfg.OnWalletChange(phoneStatus)
	got := h.ev.wait(t, EventWalletState, nil).(WalletEvent)
	if got.Status.WalletName != "Test Wallet" || got.Status.Approval != share.ApproveOnPhone {
		t.Fatalf("wallet:state = %+v", got)
	}
}

func TestWalletStatusBeforeReady(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		<-release
		return &fakeService{}, nil
	})
	if _, err := h.app.WalletStatus(); err == nil || !strings.Contains(err.Error(), "still starting") {
		t.Fatalf("WalletStatus() while starting: %v", err)
	}
	if _, err := h.app.StartPairing(); err == nil {
		t.Fatal("StartPairing while starting succeeded")
	}
}

func TestStartPairingShowsAQRCodeThenReportsThePairedWallet(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	p := newPairer(h.svc)
	got, err := h.app.StartPairing()
	if err != nil {
		t.Fatal(err)
	}
	if got.URI != testURI || time.Until(got.Expiry) < 4*time.Minute {
		t.Fatalf("StartPairing() = %q, expiry %v", got.URI, got.Expiry)
	}
	b64, ok := strings.CutPrefix(got.QR, "data:image/png;base64,")
	if !ok {
		t.Fatalf("QR is not a PNG data URL: %.40s", got.QR)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != b.Dy() || b.Dx() < 256 || b.Dx() > 320 {
		t.Fatalf("QR image is %v, want a square of 256–320 px", b)
	}

	p.result <- nil
	paired := h.ev.wait(t, EventWalletPaired, nil).(WalletEvent)
	if paired.Status.Account != phoneStatus.Account {
		t.Fatalf("wallet:paired = %+v", paired)
	}
	if all := h.allEvents(); strings.Contains(all, "symKey") || strings.Contains(all, "0123456789abcdef") {
		t.Fatal("the pairing URI (it holds a key) appeared in an event")
	}
}

func TestPairingErrorsSayWhatHappened(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code string
		want string
	}{
		{"expired", fmt.Errorf("pair a phone wallet: the pairing code: %w", walletconnect.ErrExpired), share.CodeExpired, "expired"},
		{"rejected", fmt.Errorf("pair a phone wallet: the wallet declined the connection: %w", &walletconnect.WalletError{Code: 5000, Message: "User rejected."}), share.CodeRejected, "declined"},
		{"relay", fmt.Errorf("pair a phone wallet: %w: relay.example did not answer irn_subscribe within 15s", walletconnect.ErrRelayUnavailable), share.CodeRelayUnavailable, "still approved on this computer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nil)
			h.ready(t)
			p := newPairer(h.svc)
			if _, err := h.app.StartPairing(); err != nil {
				t.Fatal(err)
			}
			p.result <- tc.err
			pe := h.ev.wait(t, EventPairingError, nil).(PairingError)
			if pe.Code != tc.code || !strings.Contains(pe.Message, tc.want) {
				t.Fatalf("wallet:pairing-error = %+v", pe)
			}
		})
	}
}

func TestUnreachableRelaySaysTransactionsAreStillApprovedHere(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	h.svc.pair = func(ctx context.Context) (share.WalletPairing, error) {
		return share.WalletPairing{}, fmt.Errorf("pair: %w: dial tcp 127.0.0.1:9: connection refused", walletconnect.ErrRelayUnavailable)
	}
	_, err := h.app.StartPairing()
	want := "Phone approval is unavailable: the WalletConnect relay cannot be used: dial tcp 127.0.0.1:9: connection refused. Transactions are still approved on this computer."
	if e := wantCode(t, err, share.CodeRelayUnavailable); !strings.HasPrefix(e.Message, want) {
		t.Fatalf("StartPairing() error %q, want it to start with %q", e.Message, want)
	}
}

func TestPairingErrorsSayThatAConnectedPhoneStaysInUse(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	h.svc.wallet = phoneStatus
	h.svc.pair = func(ctx context.Context) (share.WalletPairing, error) {
		return share.WalletPairing{}, fmt.Errorf("pair: %w: dial tcp 127.0.0.1:9: connection refused", walletconnect.ErrRelayUnavailable)
	}
	_, err := h.app.StartPairing()
	if err == nil || !strings.Contains(err.Error(), "Until it can, transactions cannot reach your phone wallet.") || strings.Contains(err.Error(), "this computer") {
		t.Fatalf("StartPairing() with a phone connected and the relay down: %v", err)
	}
	if got := pairingMessage(&walletconnect.WalletError{Code: 5000}, phoneStatus); got != "The wallet declined the connection. Your phone wallet connected before stays in use." {
		t.Fatalf("rejected with a phone connected: %q", got)
	}
}

func TestCancelPairingEndsTheWaitQuietly(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	p := newPairer(h.svc)
	if _, err := h.app.StartPairing(); err != nil {
		t.Fatal(err)
	}
	h.app.CancelPairing()
	if err := <-p.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitWallet returned %v, want it cancelled", err)
	}
	h.app.stopPairing() // waits for the goroutine to finish reporting
	if n := len(h.ev.all(EventPairingError)) + len(h.ev.all(EventWalletPaired)); n != 0 {
		t.Fatalf("%d pairing events after CancelPairing", n)
	}
}

func TestStartPairingAgainReplacesTheRunningPairing(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	p := newPairer(h.svc)
	for range 3 {
		if _, err := h.app.StartPairing(); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if err := <-p.ended; !errors.Is(err, context.Canceled) {
			t.Fatalf("a replaced pairing ended with %v", err)
		}
	}
	p.mu.Lock()
	pairs, overlaps := p.pairs, p.overlaps
	p.mu.Unlock()
	if pairs != 3 || overlaps != 0 {
		t.Fatalf("%d pairings, %d started while another was waiting; want 3 and 0", pairs, overlaps)
	}
	p.result <- nil
	h.ev.wait(t, EventWalletPaired, nil)
	if n := len(h.ev.all(EventPairingError)); n != 0 {
		t.Fatalf("%d pairing errors for replaced pairings", n)
	}
}

func TestDisconnectWallet(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	called := false
	h.svc.disconnect = func(ctx context.Context) error {
		called = true
		if _, ok := ctx.Deadline(); !ok {
			t.Error("DisconnectWallet without a deadline")
		}
		return nil
	}
	if err := h.app.DisconnectWallet(); err != nil || !called {
		t.Fatalf("DisconnectWallet() = %v, called %v", err, called)
	}
	h.svc.disconnect = func(ctx context.Context) error {
		return fmt.Errorf("the session was removed here, but the wallet could not be told: %w: timed out connecting to relay.example", walletconnect.ErrRelayUnavailable)
	}
	if e := wantCode(t, h.app.DisconnectWallet(), share.CodeRelayUnavailable); !strings.Contains(e.Message, "still approved on this computer") {
		t.Fatalf("DisconnectWallet() with the relay down: %q", e.Message)
	}
}

func TestPhoneRequestIsShownUntilThePhoneAnswers(t *testing.T) {
	h := start(t, nil)
	cfg := h.ready(t)
	answered := make(chan struct{})
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		p.Stage(share.StageApprove)
		cfg.OnPhoneRequest(ctx, approval.Summary{Action: "Publish dataset", Dataset: opts.Name, Fee: big.NewInt(61000 * 1e9), Gas: 61000})
		<-answered
		p.Stage(share.StageConfirm)
		return share.Dataset{ID: 1}, nil
	}
	id, err := h.app.Publish(tempFile(t, "a.csv", "x"), "birds", "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	req := h.ev.wait(t, EventPhoneRequest, nil).(PhoneRequest)
	if req.JobID != id || req.Summary.Dataset != "birds" || req.Summary.Fee != "61000000000000" {
		t.Fatalf("wallet:request = %+v (job %s)", req, id)
	}
	if got := h.app.PhoneRequests(); len(got) != 1 || got[0].ID != req.ID {
		t.Fatalf("PhoneRequests() = %+v", got)
	}
	close(answered)
	closed := h.ev.wait(t, EventPhoneClosed, nil).(PhoneRequestClosed)
	if closed.ID != req.ID {
		t.Fatalf("wallet:request-closed for %q, want %q", closed.ID, req.ID)
	}
	h.ev.wait(t, EventJobDone, nil)
	if n := len(h.ev.all(EventPhoneClosed)); n != 1 {
		t.Fatalf("wallet:request-closed sent %d times", n)
	}
	if len(h.app.PhoneRequests()) != 0 {
		t.Fatal("an answered phone request is still listed")
	}
}

func TestCancellingTheJobClosesItsPhoneRequest(t *testing.T) {
	h := start(t, nil)
	cfg := h.ready(t)
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		p.Stage(share.StageApprove)
		cfg.OnPhoneRequest(ctx, approval.Summary{Action: "Publish dataset"})
		<-ctx.Done()
		return share.Dataset{}, ctx.Err()
	}
	id, err := h.app.Publish(tempFile(t, "a.csv", "x"), "", "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	req := h.ev.wait(t, EventPhoneRequest, nil).(PhoneRequest)
	if err := h.app.CancelJob(id); err != nil {
		t.Fatal(err)
	}
	if closed := h.ev.wait(t, EventPhoneClosed, nil).(PhoneRequestClosed); closed.ID != req.ID {
		t.Fatalf("wallet:request-closed = %+v", closed)
	}
	if je := h.ev.wait(t, EventJobError, nil).(JobError); je.Code != share.CodeCanceled {
		t.Fatalf("job:error = %+v", je)
	}
}

func TestSettingsAreCheckedSavedAndApplied(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	opens := 0
	var svc *fakeService
	h := startConfig(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		mu.Lock()
		defer mu.Unlock()
		opens++
		svc = &fakeService{}
		return svc, nil
	}, share.Config{DataDir: dir})
	h.ev.wait(t, EventAppState, isState(StateReady))
	mu.Lock()
	first := svc
	mu.Unlock()

	s, err := h.app.Settings()
	if err != nil || s.RelayURL != "" || s.ProjectID != "" || s.DefaultRelayURL != walletconnect.DefaultRelayURL {
		t.Fatalf("Settings() = %+v, %v", s, err)
	}
	for _, tc := range []struct{ relay, project, want string }{
		{"https://relay.example", "", "ws:// or wss://"},
		{"relay.example", "", "ws:// or wss://"},
		{"wss://", "", "ws:// or wss://"},
		{"wss://me:pw@relay.example", "", "user name or password"},
		{"wss://relay.example/?projectId=1", "", "adds the project ID itself"},
		{"", "abc", "32 characters"},
		{"", strings.Repeat("g", 32), "32 characters"},
		{"", strings.Repeat("a", 33), "32 characters"},
	} {
		err := h.app.SaveSettings(tc.relay, tc.project)
		if e := wantCode(t, err, share.CodeInvalidInput); !strings.Contains(e.Message, tc.want) {
			t.Errorf("SaveSettings(%q, %q) = %v, want an error containing %q", tc.relay, tc.project, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "settings.json")); err == nil {
		t.Fatal("invalid settings were saved")
	}

	project := strings.Repeat("Ab", 16)
	if err := h.app.SaveSettings("  ws://127.0.0.1:4444 ", project); err != nil {
		t.Fatal(err)
	}
	h.ev.waitNth(t, 2, EventAppState, isState(StateReady))
	saved, err := config.LoadSettings(dir)
	if err != nil || saved.WalletConnect.RelayURL != "ws://127.0.0.1:4444" || saved.WalletConnect.ProjectID != strings.ToLower(project) {
		t.Fatalf("saved %+v, %v", saved.WalletConnect, err)
	}
	mu.Lock()
	if opens != 2 || first.closedCount() != 1 {
		t.Fatalf("%d opens, old service closed %d times; want a restart: 2 and 1", opens, first.closedCount())
	}
	mu.Unlock()
	if s, _ := h.app.Settings(); s.RelayURL != "ws://127.0.0.1:4444" {
		t.Fatalf("Settings() after saving = %+v", s)
	}

	if err := h.app.SaveSettings("ws://127.0.0.1:4444", strings.ToLower(project)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if opens != 2 {
		t.Fatal("saving unchanged settings restarted DataShare")
	}
}

func TestSaveSettingsWaitsForRunningJobs(t *testing.T) {
	dir := t.TempDir()
	h := startConfig(t, nil, share.Config{DataDir: dir})
	h.ready(t)
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		<-ctx.Done()
		return share.Dataset{}, ctx.Err()
	}
	id, err := h.app.Publish(tempFile(t, "a.csv", "x"), "", "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	err = h.app.SaveSettings("ws://127.0.0.1:4444", "")
	if e := wantCode(t, err, share.CodeBusy); !strings.Contains(e.Message, "not saved") || !strings.Contains(e.Message, "still running") {
		t.Fatalf("SaveSettings while a job runs: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "settings.json")); err == nil {
		t.Fatal("settings were saved while a job runs")
	}
	if h.svc.closedCount() != 0 {
		t.Fatal("the service was closed under a running job")
	}
	h.app.CancelJob(id)
	h.ev.wait(t, EventJobError, nil)
	deadline := time.Now().Add(5 * time.Second)
	for h.app.jobs.count() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := h.app.SaveSettings("ws://127.0.0.1:4444", ""); err != nil {
		t.Fatal(err)
	}
	h.ev.waitNth(t, 2, EventAppState, isState(StateReady))
}

func TestRestartStopsAPairingBeforeClosing(t *testing.T) {
	dir := t.TempDir()
	h := startConfig(t, nil, share.Config{DataDir: dir})
	h.ready(t)
	p := newPairer(h.svc)
	if _, err := h.app.StartPairing(); err != nil {
		t.Fatal(err)
	}
	if err := h.app.SaveSettings("wss://relay.example", ""); err != nil {
		t.Fatal(err)
	}
	if err := <-p.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("the pairing ended with %v, want cancelled by the restart", err)
	}
	h.ev.waitNth(t, 2, EventAppState, isState(StateReady))
	if n := len(h.ev.all(EventPairingError)); n != 0 {
		t.Fatalf("%d pairing errors from a restart", n)
	}
}
