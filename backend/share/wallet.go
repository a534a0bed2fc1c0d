package share

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/walletconnect"
)

// DefaultProjectID is the WalletConnect project ID used when the user set none. Builds for
// distribution set it with -ldflags "-X github.com/datashare/datashare/backend/share.DefaultProjectID=…";
// it is a public identifier, not a secret.
var DefaultProjectID = ""

// Approval modes: who approves transactions.
const (
	ApproveOnComputer = "computer"
	ApproveOnPhone    = "phone"
)

// WalletStatus describes phone approval.
type WalletStatus struct {
	Approval    string    `json:"approval"`              // ApproveOnComputer or ApproveOnPhone
	Connected   bool      `json:"connected"`             // a phone wallet session exists
	Account     string    `json:"account"`               // the wallet's account, when connected
	WalletName  string    `json:"walletName"`            //
	WalletURL   string    `json:"walletUrl"`             //
	Expiry      time.Time `json:"expiry"`                // when the session ends
	RelayURL    string    `json:"relayUrl"`              //
	ProjectID   string    `json:"projectId"`             //
	Unavailable string    `json:"unavailable,omitempty"` // why phone approval cannot be used now
}

// WalletPairing is a QR code waiting to be scanned.
type WalletPairing struct {
	URI    string    `json:"uri"` // wc: URI; it holds a key: show it, never log it
	Expiry time.Time `json:"expiry"`
}

// wallet is the phone side of a Service.
type wallet struct {
	client   *walletconnect.Client
	relayURL string
	project  string

	mu          sync.Mutex
	pairing     *walletconnect.Pairing
	unavailable string // the last reason phone approval failed to reach the relay
}

// openWallet makes the WalletConnect client of a profile. It does not reach the relay unless a
// session is stored (then it resumes it in the background).
func (s *Service) openWallet(ctx context.Context, settings config.Settings, cfg Config) error {
	relayURL := firstOf(cfg.RelayURL, settings.WalletConnect.RelayURL, walletconnect.DefaultRelayURL)
	project := firstOf(settings.WalletConnect.ProjectID, DefaultProjectID)
	w := &wallet{relayURL: relayURL, project: project}
	// A resumed session can change (expire, switch account) as soon as New returns, on the
	// client's own goroutine: its callback waits until s.wallet and s.phone are set.
	ready := make(chan struct{})
	c, err := walletconnect.New(ctx, walletconnect.Options{
		RelayURL:  relayURL,
		ProjectID: project,
		Metadata: walletconnect.Metadata{
			Name:        "DataShare",
			Description: "Share data securely with no central server",
			URL:         "https://datashare.invalid",
		},
		ChainID: s.network.ChainID,
		Store:   s.keys,
		OnSessionChange: func(*walletconnect.Session) {
			<-ready
			s.recordApprover()
			if cfg.OnWalletChange != nil {
				cfg.OnWalletChange(s.WalletStatus())
			}
		},
	})
	if err != nil {
		return fmt.Errorf("phone approval: %w", err)
	}
	w.client = c
	s.wallet = w
	s.phone = &approval.Phone{Chain: s.chain, Wallet: c, Network: s.network.Title, Notify: cfg.OnPhoneRequest}
	close(ready)
	s.recordApprover()
	return nil
}

// approverNow is the phone wallet when one is connected with an account, else this computer.
func (s *Service) approverNow() approval.Approver {
	if s.locked != nil {
		return s.locked
	}
	if s.wallet != nil {
		if ses := s.wallet.client.Session(); ses != nil && ses.Account != (common.Address{}) {
			return s.phone
		}
	}
	return s.local
}

// WalletStatus reports whether transactions are approved on a phone, and which.
func (s *Service) WalletStatus() WalletStatus {
	st := WalletStatus{Approval: ApproveOnComputer}
	if s.wallet == nil {
		st.Unavailable = "phone approval is not set up"
		return st
	}
	st.RelayURL, st.ProjectID = s.wallet.relayURL, s.wallet.project
	s.wallet.mu.Lock()
	st.Unavailable = s.wallet.unavailable
	s.wallet.mu.Unlock()
	if st.Unavailable == "" && st.ProjectID == "" && st.RelayURL == walletconnect.DefaultRelayURL {
		st.Unavailable = "the public WalletConnect relay needs a project ID (free from Reown Cloud): enter it in Settings, or pass --project-id to 'datashare wallet pair'"
	}
	if ses := s.wallet.client.Session(); ses != nil {
		st.Connected, st.WalletName, st.WalletURL, st.Expiry = true, ses.Wallet.Name, ses.Wallet.URL, ses.Expiry
		if ses.Account != (common.Address{}) {
			st.Approval, st.Account = ApproveOnPhone, ses.Account.Hex()
		} else {
			st.Unavailable = fmt.Sprintf("the wallet shared no account on %s", s.network.Title)
		}
	}
	return st
}

// PairWallet starts pairing a phone wallet: show the URI as a QR code, then call WaitWallet.
// Without a reachable relay it fails with a message saying why; approving on this computer
// keeps working.
func (s *Service) PairWallet(ctx context.Context) (WalletPairing, error) {
	if s.wallet == nil {
		return WalletPairing{}, errors.New("phone approval is not set up")
	}
	p, err := s.wallet.client.Pair(ctx)
	s.noteRelay(err)
	if err != nil {
		return WalletPairing{}, err
	}
	s.wallet.mu.Lock()
	s.wallet.pairing = p
	s.wallet.mu.Unlock()
	return WalletPairing{URI: p.URI, Expiry: p.Expiry}, nil
}

// WaitWallet waits until the phone approves the pairing (from then on, transactions are approved
// on the phone and datasets are owned by the wallet's account), rejects it, or the QR code
// expires (walletconnect.ErrExpired: make a new one).
func (s *Service) WaitWallet(ctx context.Context) (WalletStatus, error) {
	if s.wallet == nil {
		return s.WalletStatus(), errors.New("phone approval is not set up")
	}
	s.wallet.mu.Lock()
	p := s.wallet.pairing
	s.wallet.mu.Unlock()
	if p == nil {
		return s.WalletStatus(), errors.New("no pairing in progress: start one first")
	}
	_, err := s.wallet.client.WaitSession(ctx, p)
	s.noteRelay(err)
	if err != nil {
		return s.WalletStatus(), fmt.Errorf("pair a phone wallet: %w", err)
	}
	s.recordApprover()
	return s.WalletStatus(), nil
}

// DisconnectWallet ends the phone session; transactions are approved on this computer again.
func (s *Service) DisconnectWallet(ctx context.Context) error {
	if s.wallet == nil || s.wallet.client.Session() == nil {
		return nil
	}
	err := s.wallet.client.Disconnect(ctx)
	s.noteRelay(err)
	s.recordApprover()
	return err
}

// noteRelay remembers why the relay could not be used, for WalletStatus.
func (s *Service) noteRelay(err error) {
	if s.wallet == nil {
		return
	}
	s.wallet.mu.Lock()
	defer s.wallet.mu.Unlock()
	switch {
	case errors.Is(err, walletconnect.ErrRelayUnavailable):
		s.wallet.unavailable = err.Error() + "; transactions are approved on this computer"
	case err == nil:
		s.wallet.unavailable = ""
	}
}
