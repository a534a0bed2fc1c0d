package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sync"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

var errPassphraseCanceled = newError(share.CodeCanceled, "no passphrase was entered")

// prompts are the questions the backend is waiting on the user to answer.
type prompts struct {
	mu         sync.Mutex
	passphrase chan passAnswer // non-nil while a passphrase is asked for
	approvals  map[string]pendingApproval
	nextID     int
}

type passAnswer struct {
	value string
	ok    bool
}

type pendingApproval struct {
	seq    int
	req    ApprovalRequest
	answer chan bool
}

// askPassphrase is share.Config.Passphrase: it asks the frontend and waits for the answer.
func (a *App) askPassphrase(ctx context.Context, purpose string) (string, error) {
	ch := make(chan passAnswer, 1)
	a.prompts.mu.Lock()
	if a.prompts.passphrase != nil {
		a.prompts.mu.Unlock()
		return "", errors.New("a passphrase is already being asked for")
	}
	a.prompts.passphrase = ch
	a.prompts.mu.Unlock()
	defer func() {
		a.prompts.mu.Lock()
		a.prompts.passphrase = nil
		a.prompts.mu.Unlock()
	}()

	a.setStateFull(AppState{State: StateNeedsPassphrase, Purpose: purpose})
	a.emit(EventPassphraseRequest, PassphraseRequest{Purpose: purpose})
	select {
	case ans := <-ch:
		if !ans.ok {
			return "", errPassphraseCanceled
		}
		a.setState(StateStarting, "")
		return ans.value, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// SubmitPassphrase answers passphrase:request. The passphrase is passed on and never logged.
func (a *App) SubmitPassphrase(passphrase string) error {
	if passphrase == "" {
		return fail(newError(share.CodeInvalidInput, "enter a passphrase"))
	}
	return fail(a.answerPassphrase(passAnswer{value: passphrase, ok: true}))
}

// CancelPassphrase declines passphrase:request; DataShare then cannot start (Retry asks again).
func (a *App) CancelPassphrase() error {
	return fail(a.answerPassphrase(passAnswer{}))
}

func (a *App) answerPassphrase(ans passAnswer) error {
	a.prompts.mu.Lock()
	ch := a.prompts.passphrase
	a.prompts.passphrase = nil
	a.prompts.mu.Unlock()
	if ch == nil {
		return newError(share.CodeNotFound, "no passphrase is being asked for right now")
	}
	ch <- ans
	return nil
}

// confirm is share.Config.Confirm, the "approve on this computer" dialog: it sends
// approval:request and waits for AnswerApproval, or for ctx to end.
func (a *App) confirm(ctx context.Context, s approval.Summary) (bool, error) {
	p := pendingApproval{answer: make(chan bool, 1)}
	a.prompts.mu.Lock()
	a.prompts.nextID++
	p.seq = a.prompts.nextID
	p.req = ApprovalRequest{ID: fmt.Sprintf("approval-%d", p.seq), Summary: summary(s)}
	if a.prompts.approvals == nil {
		a.prompts.approvals = map[string]pendingApproval{}
	}
	a.prompts.approvals[p.req.ID] = p
	a.prompts.mu.Unlock()

	a.emit(EventApprovalRequest, p.req)
	select {
	case ok := <-p.answer:
		return ok, nil
	case <-ctx.Done():
		a.prompts.mu.Lock()
		_, open := a.prompts.approvals[p.req.ID]
		delete(a.prompts.approvals, p.req.ID)
		a.prompts.mu.Unlock()
		if open {
			a.emit(EventApprovalClosed, ApprovalClosed{ID: p.req.ID})
		}
		return false, ctx.Err()
	}
}

// AnswerApproval approves or rejects the transaction of approval:request id.
func (a *App) AnswerApproval(id string, approved bool) error {
	a.prompts.mu.Lock()
	p, ok := a.prompts.approvals[id]
	delete(a.prompts.approvals, id)
	a.prompts.mu.Unlock()
	if !ok {
		return fail(newError(share.CodeNotFound, "this approval request is no longer open (its job has stopped)"))
	}
	p.answer <- approved
	return nil
}

// PendingApprovals returns the approval requests waiting for an answer, oldest first (for a
// frontend that loaded after they were sent).
func (a *App) PendingApprovals() []ApprovalRequest {
	a.prompts.mu.Lock()
	defer a.prompts.mu.Unlock()
	ps := slices.SortedFunc(maps.Values(a.prompts.approvals), func(x, y pendingApproval) int { return x.seq - y.seq })
	out := make([]ApprovalRequest, len(ps))
	for i, p := range ps {
		out[i] = p.req
	}
	return out
}

func summary(s approval.Summary) ApprovalSummary {
	return ApprovalSummary{
		Action: s.Action, Dataset: s.Dataset, Account: s.Account, Network: s.Network,
		Price: wei(s.Price), Fee: wei(s.Fee), Gas: s.Gas, Balance: wei(s.Balance), Note: s.Note,
	}
}

func wei(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}
