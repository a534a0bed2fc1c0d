package share

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/index"
)

// Answer policies: which access requests to a dataset the running profile answers by itself.
// By default paid requests are answered automatically (the buyer's escrow pays the owner) and
// free ones are not, since anyone could make the owner spend network fees by asking; the owner
// answers those with GrantRequest or DeclineRequest. The policy is kept in the index (it is
// this profile's choice, not the chain's).
const (
	PolicyDefault = index.PolicyDefault // paid requests automatically, free ones by hand
	PolicyAuto    = index.PolicyAuto    // every request automatically, free ones too
	PolicyAllow   = index.PolicyAllow   // paid requests and those of the allowed accounts automatically
	PolicyManual  = index.PolicyManual  // every request by hand, paid ones too
)

// AnswerPolicy is a dataset's answer policy.
type AnswerPolicy struct {
	Dataset uint64   `json:"dataset"`
	Mode    string   `json:"mode"`  // "default", "auto", "allow" or "manual"
	Allow   []string `json:"allow"` // accounts answered automatically (mode "allow")
	Price   string   `json:"price"` // wei, the dataset's price now
	// Summary says in words who is answered automatically.
	Summary string `json:"summary"`
}

// Policy returns the answer policy of dataset id, which the current account must own.
func (s *Service) Policy(ctx context.Context, id uint64) (AnswerPolicy, error) {
	info, err := s.ownDataset(ctx, id, "set the answer policy of")
	if err != nil {
		return AnswerPolicy{}, err
	}
	p, err := s.index.PolicyOf(ctx, id)
	if err != nil {
		return AnswerPolicy{}, err
	}
	return answerPolicy(p, info.Price), nil
}

// SetPolicy sets the answer policy of dataset id: mode is PolicyDefault ("" or "default"),
// PolicyAuto, PolicyManual, or PolicyAllow with the accounts in allow (replacing the list).
// Nothing is sent to the chain.
func (s *Service) SetPolicy(ctx context.Context, id uint64, mode string, allow []string) (AnswerPolicy, error) {
	if mode == "default" {
		mode = PolicyDefault
	}
	var addrs []string
	switch mode {
	case PolicyDefault, PolicyAuto, PolicyManual:
		if len(allow) > 0 {
			return AnswerPolicy{}, invalidf("accounts to allow go with the allow policy only, not with %q", modeName(mode))
		}
	case PolicyAllow:
		as, err := parseGrantees(allow)
		if err != nil {
			return AnswerPolicy{}, err
		}
		for _, a := range as {
			addrs = append(addrs, a.Hex())
		}
	default:
		return AnswerPolicy{}, invalidf("%q is not an answer policy: use default, auto, allow or manual", mode)
	}
	info, err := s.ownDataset(ctx, id, "set the answer policy of")
	if err != nil {
		return AnswerPolicy{}, err
	}
	if mode == PolicyAllow {
		for _, a := range addrs {
			if a == info.Owner.Hex() {
				return AnswerPolicy{}, invalidf("%s owns dataset %d: it never asks for access", a, id)
			}
		}
	}
	p := index.Policy{DatasetID: id, Mode: mode, Allow: addrs}
	if err := s.index.PutPolicy(ctx, p); err != nil {
		return AnswerPolicy{}, fmt.Errorf("keep the answer policy of dataset %d: %w", id, err)
	}
	return answerPolicy(p, info.Price), nil
}

func modeName(mode string) string {
	if mode == PolicyDefault {
		return "default"
	}
	return mode
}

func answerPolicy(p index.Policy, price *big.Int) AnswerPolicy {
	out := AnswerPolicy{Dataset: p.DatasetID, Mode: modeName(p.Mode), Allow: p.Allow, Price: price.String()}
	if out.Allow == nil {
		out.Allow = []string{}
	}
	switch p.Mode {
	case PolicyAuto:
		out.Summary = "every request is answered automatically while DataShare runs, free ones too"
	case PolicyManual:
		out.Summary = "every request waits for you: datashare grant or datashare decline"
	case PolicyAllow:
		out.Summary = fmt.Sprintf("paid requests and those of %d allowed account(s) are answered automatically; the others wait for you", len(p.Allow))
	default:
		out.Summary = "paid requests are answered automatically while DataShare runs; free ones wait for you"
	}
	return out
}

// autoAnswer says whether a pending request of requester with escrow is answered by the
// engine, and when not, why in a few words.
func (s *Service) autoAnswer(ctx context.Context, id uint64, requester common.Address, escrow *big.Int) (bool, string, error) {
	p, err := s.index.PolicyOf(ctx, id)
	if err != nil {
		return false, "", fmt.Errorf("read the answer policy of dataset %d: %w", id, err)
	}
	paid := escrow != nil && escrow.Sign() > 0
	switch p.Mode {
	case PolicyAuto:
		return true, "", nil
	case PolicyManual:
		return false, "its policy is manual", nil
	case PolicyAllow:
		if paid || slices.Contains(p.Allow, requester.Hex()) {
			return true, "", nil
		}
		return false, "free, and not an allowed account", nil
	}
	if paid {
		return true, "", nil
	}
	return false, "a free request", nil
}
