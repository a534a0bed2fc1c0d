package share

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/walletconnect"
)

// OperatorStatus says whether the device key answers requests for the account: on the local
// chain (and whenever the device key is the account) it needs nothing; with a phone wallet the
// wallet makes it the account's operator once (EnableOperator).
type OperatorStatus struct {
	Account  string `json:"account"`
	Device   string `json:"device"`
	Needed   bool   `json:"needed"`  // the account is not the device key
	Enabled  bool   `json:"enabled"` // the device key may answer for the account (always when not needed)
	Balance  string `json:"balance"` // wei the device key holds, for network fees
	TopUpURI string `json:"topUpUri"`
	Message  string `json:"message"`
}

// topUpAmount is what the top-up URI of OperatorStatus asks for: 0.01 ether.
var topUpAmount = big.NewInt(1e16)

// OperatorStatus reads from the chain whether the device key may answer for the account.
func (s *Service) OperatorStatus(ctx context.Context) (OperatorStatus, error) {
	acct, dev := s.Account(), s.pub.device
	st := OperatorStatus{Account: acct.Hex(), Device: dev.Hex(), Needed: acct != dev, Enabled: acct == dev,
		TopUpURI: TopUpURI(dev, s.network.ChainID, topUpAmount)}
	bal, err := s.chain.Balance(ctx, dev)
	if err != nil {
		return st, err
	}
	st.Balance = bal.String()
	if st.Needed {
		if st.Enabled, err = s.chain.IsOperator(ctx, acct, dev); err != nil {
			return st, fmt.Errorf("read the operators of %s: %w", acct.Hex(), err)
		}
	}
	switch {
	case !st.Needed:
		st.Message = fmt.Sprintf("the device key %s is the account: it answers requests itself while DataShare runs", dev.Hex())
	case st.Enabled:
		st.Message = fmt.Sprintf("the device key %s answers requests for %s while DataShare runs; it pays the network fees from its own balance", dev.Hex(), acct.Hex())
	default:
		st.Message = fmt.Sprintf("requests to %s are not answered automatically: make this computer's device key its operator with datashare operator enable (approved on the phone)", acct.Hex())
	}
	return st, nil
}

// EnableOperator lets the device key answer requests, grant and revoke for the account
// (setOperator, approved by the account holder: on the phone); DisableOperator stops it.
func (s *Service) EnableOperator(ctx context.Context) (OperatorStatus, error) {
	return s.setOperator(ctx, true)
}

// DisableOperator stops the device key from acting for the account.
func (s *Service) DisableOperator(ctx context.Context) (OperatorStatus, error) {
	return s.setOperator(ctx, false)
}

func (s *Service) setOperator(ctx context.Context, allowed bool) (OperatorStatus, error) {
	if err := s.writable("setOperator"); err != nil {
		return OperatorStatus{}, err
	}
	st, err := s.OperatorStatus(ctx)
	if err != nil {
		return st, err
	}
	if !st.Needed {
		return st, invalidf("the account %s is this computer's device key: it answers requests itself, no operator is needed (an operator is for a phone wallet's account: datashare wallet pair)", st.Account)
	}
	if st.Enabled == allowed {
		return st, nil
	}
	dev := s.pub.device
	action, note := "Enable automatic answers", fmt.Sprintf("lets this computer's device key %s answer access requests, grant and revoke for your datasets while DataShare runs", dev.Hex())
	if !allowed {
		action, note = "Disable automatic answers", fmt.Sprintf("stops this computer's device key %s from acting for your datasets", dev.Hex())
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action: action, Note: note, To: s.network.Contract, Data: ds.PackSetOperator(dev, allowed),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackOperatorSetEvent(l); err == nil && l.Address == s.network.Contract && ev.Device == dev && ev.Allowed == allowed {
					return nil
				}
			}
			return errors.New("it records no OperatorSet event for the device key")
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return st, fmt.Errorf("%s: %w", action, err)
	}
	return s.OperatorStatus(ctx)
}
