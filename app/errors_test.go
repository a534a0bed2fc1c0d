package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
)

// wantCode checks that err is what Wails sends the frontend for a failure: a JSON object with
// the code and a message, and returns it decoded.
func wantCode(t *testing.T, err error, code string) Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one with code %q", code)
	}
	var e Error
	if jerr := json.Unmarshal([]byte(err.Error()), &e); jerr != nil {
		t.Fatalf("the error the frontend gets is not a JSON object {code, message}: %q (%v)", err.Error(), jerr)
	}
	if e.Code != code || e.Message == "" {
		t.Fatalf("error %+v, want code %q and a message", e, code)
	}
	return e
}

func TestErrorsReachTheFrontendAsCodeAndMessage(t *testing.T) {
	if err := fail(nil); err != nil {
		t.Fatalf("fail(nil) = %#v, want a nil error", err)
	}
	msg := "a \"quoted\" <name> & a\nline break"
	e := wantCode(t, &Error{Code: share.CodeInternal, Message: msg}, share.CodeInternal)
	if e.Message != msg {
		t.Fatalf("message %q came back as %q", msg, e.Message)
	}
	e = wantCode(t, fail(fmt.Errorf("publish a.bin: %w", approval.ErrRejected)), share.CodeRejected)
	if e.Message != "You rejected the transaction, so nothing was written to the chain." {
		t.Fatalf("rejected: message %q", e.Message)
	}
	// An error of this layer keeps its code through wrapping, and its text.
	e = wantCode(t, fail(fmt.Errorf("the settings were not saved: %w", errJobsRunning(2))), share.CodeBusy)
	if e.Message != "the settings were not saved: 2 publishes or downloads are still running: let them finish or cancel them, then try again" {
		t.Fatalf("wrapped: message %q", e.Message)
	}
	// A failure already made at the boundary is not made again.
	inner := fail(errors.New("x"))
	if fail(inner) != inner {
		t.Fatal("fail of an *Error made a new one")
	}
}

// TestJobErrorsCarryTheBackendCode: job:error says what kind of failure ended the job, and a
// stopped job is "canceled" whatever error the backend stopped with.
func TestJobErrorsCarryTheBackendCode(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	for _, tc := range []struct {
		err  error
		code string
	}{
		{fmt.Errorf("publish a.bin: %w", &chain.FundsError{Balance: big.NewInt(0), Need: big.NewInt(1e15)}), share.CodeInsufficientFunds},
		{fmt.Errorf("a.bin: %w", share.ErrBusy), share.CodeBusy},
		{fmt.Errorf("register: %w: connection refused", chain.ErrUnavailable), share.CodeUnavailable},
		{errors.New("the disk is full"), share.CodeInternal},
	} {
		h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
			return share.Dataset{}, tc.err
		}
		id, err := h.app.Publish(tempFile(t, "a.bin", "x"), "", "", false, "")
		if err != nil {
			t.Fatal(err)
		}
		je := h.ev.wait(t, EventJobError, func(d any) bool { return d.(JobError).JobID == id }).(JobError)
		if je.Code != tc.code || je.Message != tc.err.Error() {
			t.Errorf("job:error for %v = %+v, want code %q and the backend's message", tc.err, je, tc.code)
		}
	}

	h.svc.fetch = func(ctx context.Context, id uint64, out string, p share.Progress) (share.FetchResult, error) {
		<-ctx.Done()
		return share.FetchResult{}, fmt.Errorf("download: %w", ipfs.ErrUnavailable) // not context.Canceled
	}
	h.dlg.save = "/tmp/out.csv"
	id, err := h.app.Download(3, "data.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.app.CancelJob(id); err != nil {
		t.Fatal(err)
	}
	je := h.ev.wait(t, EventJobError, func(d any) bool { return d.(JobError).JobID == id }).(JobError)
	if je.Code != share.CodeCanceled || je.Message != "Canceled." {
		t.Fatalf("job:error of a cancelled download = %+v", je)
	}
}

// TestStartFailureCarriesCode: app:state "error" says what kind of failure stopped the start,
// so the frontend asks again for a wrong passphrase instead of reading the message.
func TestStartFailureCarriesCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code string
	}{
		{fmt.Errorf("open keys: %w", keys.ErrWrongPassphrase), share.CodeWrongPassphrase},
		{fmt.Errorf("keys: new passphrase: %w", keys.CheckPassphrase("abc")), share.CodeWeakPassphrase},
		{fmt.Errorf("keys: passphrase: %w", errPassphraseCanceled), share.CodeCanceled},
		{fmt.Errorf("start the local chain: %w", chain.ErrUnavailable), share.CodeUnavailable},
	} {
		h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) { return nil, tc.err })
		st := h.ev.wait(t, EventAppState, isState(StateError)).(AppState)
		if st.Code != tc.code || st.Message == "" {
			t.Errorf("app:state for %v = %+v, want code %q", tc.err, st, tc.code)
		}
	}
}

// TestPromptAnswersFailWithCodes: answers that come too late or are empty say so with a code.
func TestPromptAnswersFailWithCodes(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	wantCode(t, h.app.AnswerApproval("approval-999", true), share.CodeNotFound)
	wantCode(t, h.app.SubmitPassphrase(""), share.CodeInvalidInput)
	wantCode(t, h.app.SubmitPassphrase("a passphrase nobody asked for"), share.CodeNotFound)
	wantCode(t, h.app.CancelPassphrase(), share.CodeNotFound)
}

// TestFrontendKnowsEveryCode: the ErrorCode type of the frontend lists exactly share.Codes.
func TestFrontendKnowsEveryCode(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/lib/types.ts")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)export type ErrorCode =([^;]*);`).FindSubmatch(src)
	if m == nil {
		t.Fatal("frontend/src/lib/types.ts has no ErrorCode type")
	}
	var got []string
	for _, q := range regexp.MustCompile(`'([a-z_]+)'`).FindAllSubmatch(m[1], -1) {
		got = append(got, string(q[1]))
	}
	want := slices.Clone(share.Codes)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("frontend ErrorCode = %s\nshare.Codes     = %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}
