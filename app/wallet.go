package app

// Phone approval (WalletConnect): who approves transactions, pairing a phone wallet with a QR
// code, the relay settings, and "check your phone" while a transaction waits there.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect"
)

const (
	qrSize            = 288              // pixels, width and height of the pairing QR code
	pairTimeout       = 45 * time.Second // reaching the relay and publishing the proposal
	disconnectTimeout = 20 * time.Second // telling the wallet the session is over
)

// WalletEvent is the payload of wallet:state and wallet:paired.
type WalletEvent struct {
	Status share.WalletStatus `json:"status"`
}

// Pairing is a code for a phone wallet to scan: the result of StartPairing.
type Pairing struct {
	URI    string    `json:"uri"`    // the wc: URI, for desktop wallets; it holds a key: never log it
	QR     string    `json:"qr"`     // the URI as a QR code: a PNG data: URL
	Expiry time.Time `json:"expiry"` // when the code stops working
}

// PairingError is the payload of wallet:pairing-error. Code is share.CodeExpired when the code
// expired unscanned (StartPairing makes a new one), share.CodeRejected when the wallet declined,
// share.CodeRelayUnavailable when the relay cannot be used.
type PairingError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// PhoneRequest is the payload of wallet:request: a transaction waits for approval on the phone.
type PhoneRequest struct {
	ID      string          `json:"id"`
	JobID   string          `json:"jobId"` // the job waiting for it; CancelJob stops waiting
	Summary ApprovalSummary `json:"summary"`
}

// PhoneRequestClosed is the payload of wallet:request-closed.
type PhoneRequestClosed struct {
	ID string `json:"id"`
}

// Settings are the profile's phone approval settings.
type Settings struct {
	RelayURL        string `json:"relayUrl"`        // "" = DefaultRelayURL
	ProjectID       string `json:"projectId"`       // Reown Cloud project ID, "" = none
	DefaultRelayURL string `json:"defaultRelayUrl"` // the public WalletConnect relay
}

// WalletStatus says who approves transactions: this computer, or a connected phone wallet.
func (a *App) WalletStatus() (share.WalletStatus, error) {
	svc, err := a.service()
	if err != nil {
		return share.WalletStatus{}, fail(err)
	}
	return svc.WalletStatus(), nil
}

// pairingRun is one StartPairing; done is closed when it has ended in the backend.
type pairingRun struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// StartPairing makes a code for a phone wallet to scan, and waits for the wallet in the
// background: wallet:paired when it connects, wallet:pairing-error when it declines, the relay
// fails or the code expires (then call StartPairing again for a new code). A pairing still
// running is stopped first.
func (a *App) StartPairing() (Pairing, error) {
	svc, err := a.service()
	if err != nil {
		return Pairing{}, fail(err)
	}
	ctx, cancel := context.WithCancel(a.lifetime())
	run := &pairingRun{cancel: cancel, done: make(chan struct{})}
	a.pairMu.Lock()
	prev := a.pairing
	a.pairing = run
	a.pairMu.Unlock()
	if prev != nil { // the backend pairs one wallet at a time
		prev.cancel()
		<-prev.done
	}

	pctx, pcancel := context.WithTimeout(ctx, pairTimeout)
	p, err := svc.PairWallet(pctx)
	pcancel()
	if err != nil {
		canceled := ctx.Err() != nil
		cancel()
		close(run.done)
		if canceled {
			return Pairing{}, fail(context.Canceled)
		}
		return Pairing{}, failWith(err, pairingMessage(err, svc.WalletStatus()))
	}
	go a.waitPairing(ctx, run, svc) // also ends the backend's pairing when ctx is already over
	qr, err := qrcode.Encode(p.URI, qrcode.Medium, qrSize)
	if err != nil {
		cancel()
		return Pairing{}, fail(fmt.Errorf("the QR code could not be drawn: %v", err)) // not %w: the error may quote the URI
	}
	if ctx.Err() != nil {
		return Pairing{}, fail(context.Canceled)
	}
	return Pairing{URI: p.URI, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(qr), Expiry: p.Expiry}, nil
}

// waitPairing reports how the pairing of run ends, unless it was cancelled (CancelPairing, a
// newer StartPairing, a restart or Shutdown).
func (a *App) waitPairing(ctx context.Context, run *pairingRun, svc Service) {
	defer close(run.done)
	defer run.cancel()
	st, err := svc.WaitWallet(ctx)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		e := failWith(err, pairingMessage(err, st))
		a.emit(EventPairingError, PairingError{Code: e.Code, Message: e.Message})
		return
	}
	a.emit(EventWalletPaired, WalletEvent{Status: st})
}

// CancelPairing stops the pairing of StartPairing: the code shown no longer connects.
func (a *App) CancelPairing() {
	a.pairMu.Lock()
	run := a.pairing
	a.pairMu.Unlock()
	if run != nil {
		run.cancel()
	}
}

// stopPairing cancels the pairing and waits until the backend has let go of it.
func (a *App) stopPairing() {
	a.pairMu.Lock()
	run := a.pairing
	a.pairing = nil
	a.pairMu.Unlock()
	if run != nil {
		run.cancel()
		<-run.done
	}
}

// DisconnectWallet ends the phone wallet's session: transactions are approved on this computer
// again. The session is forgotten here even when the wallet cannot be told.
func (a *App) DisconnectWallet() error {
	svc, err := a.service()
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(a.lifetime(), disconnectTimeout)
	defer cancel()
	if err := svc.DisconnectWallet(ctx); err != nil {
		return failWith(err, pairingMessage(err, svc.WalletStatus()))
	}
	return nil
}

// Settings returns the profile's phone approval settings.
func (a *App) Settings() (Settings, error) {
	dir, err := a.dataDir()
	if err != nil {
		return Settings{}, fail(err)
	}
	s, err := config.LoadSettings(dir)
	if err != nil {
		return Settings{}, fail(err)
	}
	return Settings{RelayURL: s.WalletConnect.RelayURL, ProjectID: s.WalletConnect.ProjectID, DefaultRelayURL: walletconnect.DefaultRelayURL}, nil
}

// SaveSettings checks and saves the relay ("" = the public relay) and the project ID, then
// restarts the backend so that they take effect (app:state goes to starting, then ready). It
// refuses while a publish or download runs.
func (a *App) SaveSettings(relayURL, projectID string) error {
	return fail(a.saveSettings(relayURL, projectID))
}

// saveSettings is SaveSettings with the errors of the backend.
func (a *App) saveSettings(relayURL, projectID string) error {
	relayURL, projectID, err := config.CheckWalletConnect(relayURL, projectID)
	if err != nil {
		return invalid(err)
	}
	dir, err := a.dataDir()
	if err != nil {
		return err
	}
	s, err := config.LoadSettings(dir)
	if err != nil {
		return err
	}
	if s.WalletConnect.RelayURL == relayURL && s.WalletConnect.ProjectID == projectID {
		return nil
	}
	if err := a.canRestart(); err != nil {
		return fmt.Errorf("the settings were not saved: %w", err)
	}
	s.WalletConnect.RelayURL, s.WalletConnect.ProjectID = relayURL, projectID
	if err := config.EnsureDataDir(dir); err != nil {
		return err
	}
	if err := config.SaveSettings(dir, s); err != nil {
		return fmt.Errorf("the settings could not be saved: %w", err)
	}
	if err := a.reopen(true); err != nil {
		return fmt.Errorf("the settings are saved and take effect when DataShare starts again (%w)", err)
	}
	return nil
}

// canRestart says why reopen(true) would be refused now.
func (a *App) canRestart() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed || a.openRunning {
		return errBusyStarting
	}
	if n := a.jobs.count(); n > 0 {
		return errJobsRunning(n)
	}
	return nil
}

// dataDir is the profile's directory, as share.Open chooses it.
func (a *App) dataDir() (string, error) {
	if d := a.opts.Config.DataDir; d != "" {
		return d, nil
	}
	return config.DefaultDataDir()
}

// pairingMessage explains why pairing or disconnecting failed, and where transactions are
// approved now (st is the wallet status after the failure).
func pairingMessage(err error, st share.WalletStatus) string {
	where := " Transactions are still approved on this computer."
	if st.Approval == share.ApproveOnPhone {
		where = " Your phone wallet connected before stays in use."
	}
	switch {
	case errors.Is(err, walletconnect.ErrRelayUnavailable):
		_, why, _ := strings.Cut(err.Error(), walletconnect.ErrRelayUnavailable.Error())
		if st.Approval == share.ApproveOnPhone {
			where = " Until it can, transactions cannot reach your phone wallet."
		}
		return "Phone approval is unavailable: the WalletConnect relay cannot be used" + why + "." + where +
			" Check the relay and project ID in Settings, or your connection."
	case errors.Is(err, walletconnect.ErrExpired):
		return "The code expired before a wallet scanned it."
	case errors.Is(err, walletconnect.ErrRejected):
		return "The wallet declined the connection." + where
	}
	return message(err)
}

// walletChanged is share.Config.OnWalletChange.
func (a *App) walletChanged(st share.WalletStatus) {
	a.emit(EventWalletState, WalletEvent{Status: st})
}

// phoneRequests are the transactions waiting for approval on the phone.
type phoneRequests struct {
	mu   sync.Mutex
	next int
	open map[string]phoneRequest
}

type phoneRequest struct {
	seq int
	req PhoneRequest
}

// phoneRequest is share.Config.OnPhoneRequest: it tells the frontend to say "check your
// phone". The request is closed when its job moves past the approval or ends (ctx is the
// job's).
func (a *App) phoneRequest(ctx context.Context, s approval.Summary) {
	a.phone.mu.Lock()
	a.phone.next++
	p := phoneRequest{seq: a.phone.next}
	p.req = PhoneRequest{ID: fmt.Sprintf("phone-%d", p.seq), JobID: jobID(ctx), Summary: summary(s)}
	if a.phone.open == nil {
		a.phone.open = map[string]phoneRequest{}
	}
	a.phone.open[p.req.ID] = p
	a.phone.mu.Unlock()
	a.emit(EventPhoneRequest, p.req)
	if ctx.Done() != nil {
		go func() {
			<-ctx.Done()
			a.closePhoneRequest(p.req.ID)
		}()
	}
}

func (a *App) closePhoneRequest(id string) {
	a.phone.mu.Lock()
	_, ok := a.phone.open[id]
	delete(a.phone.open, id)
	a.phone.mu.Unlock()
	if ok {
		a.emit(EventPhoneClosed, PhoneRequestClosed{ID: id})
	}
}

// closePhoneRequests closes the phone requests of a job.
func (a *App) closePhoneRequests(jobID string) {
	a.phone.mu.Lock()
	var ids []string
	for id, p := range a.phone.open {
		if p.req.JobID == jobID {
			ids = append(ids, id)
		}
	}
	a.phone.mu.Unlock()
	for _, id := range ids {
		a.closePhoneRequest(id)
	}
}

// PhoneRequests returns the transactions waiting for approval on the phone, oldest first (for
// a frontend that loaded after they were sent).
func (a *App) PhoneRequests() []PhoneRequest {
	a.phone.mu.Lock()
	defer a.phone.mu.Unlock()
	ps := slices.SortedFunc(maps.Values(a.phone.open), func(x, y phoneRequest) int { return x.seq - y.seq })
	out := make([]PhoneRequest, len(ps))
	for i, p := range ps {
		out[i] = p.req
	}
	return out
}
