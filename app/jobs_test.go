package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/share"
)

// TestResumeJobRunsAsAJob: ResumeJob runs the backend's resume in the background with progress,
// done and error events like Publish, and can be cancelled.
func TestResumeJobRunsAsAJob(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	got := make(chan string, 1)
	h.svc.resume = func(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error) {
		got <- jobID
		p.Stage(share.StageConfirm)
		return share.Dataset{ID: 4, Name: "birds.csv", Status: "published"}, nil
	}
	id, err := h.app.ResumeJob(" 7f3a ", "birds.csv")
	if err != nil {
		t.Fatal(err)
	}
	if j := <-got; j != "7f3a" {
		t.Fatalf("resumed job %q, want 7f3a", j)
	}
	pr := h.ev.wait(t, EventJobProgress, nil).(JobProgress)
	if pr.JobID != id || pr.Kind != KindPublish || pr.Name != "birds.csv" || pr.Stage != string(share.StageConfirm) {
		t.Fatalf("job:progress = %+v", pr)
	}
	done := h.ev.wait(t, EventJobDone, nil).(JobDone)
	if done.JobID != id || done.Kind != KindPublish || done.Dataset == nil || done.Dataset.ID != 4 {
		t.Fatalf("job:done = %+v", done)
	}

	h.svc.resume = func(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error) {
		return share.Dataset{}, fmt.Errorf("birds.csv: %w", share.ErrBusy)
	}
	id, err = h.app.ResumeJob("7f3a", "birds.csv")
	if err != nil {
		t.Fatal(err)
	}
	je := h.ev.wait(t, EventJobError, func(d any) bool { return d.(JobError).JobID == id }).(JobError)
	if je.Code != share.CodeBusy || je.Name != "birds.csv" {
		t.Fatalf("job:error = %+v", je)
	}

	h.svc.resume = func(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error) {
		<-ctx.Done()
		return share.Dataset{}, ctx.Err()
	}
	id, err = h.app.ResumeJob("7f3a", "birds.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.app.CancelJob(id); err != nil {
		t.Fatal(err)
	}
	je = h.ev.wait(t, EventJobError, func(d any) bool { return d.(JobError).JobID == id }).(JobError)
	if je.Code != share.CodeCanceled {
		t.Fatalf("job:error of a cancelled resume = %+v", je)
	}

	_, err = h.app.ResumeJob("  ", "x")
	wantCode(t, err, share.CodeInvalidInput)
}

// TestDiscardJobPassesTheBackendsAnswerOn: DiscardJob waits for the backend (with a deadline)
// and passes its refusal on with its code.
func TestDiscardJobPassesTheBackendsAnswerOn(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	var deadline bool
	h.svc.discard = func(ctx context.Context, jobID string) error {
		_, deadline = ctx.Deadline()
		switch jobID {
		case "ok":
			return nil
		case "signed":
			return fmt.Errorf("%w: the publish of a.bin signed a transaction that may still be mined", share.ErrOnChain)
		}
		return errors.New("there is no publish job")
	}
	if err := h.app.DiscardJob("ok"); err != nil || !deadline {
		t.Fatalf("DiscardJob = %v (deadline %v)", err, deadline)
	}
	wantCode(t, h.app.DiscardJob("signed"), share.CodeOnChain)
	wantCode(t, h.app.DiscardJob(""), share.CodeInvalidInput)
}

// TestResumeAndDiscardOverTheRealBackend: on a real profile (local chain, IPFS on loopback), a
// publish the user rejected is listed as failed with its job; ResumeJob publishes it once
// approved, and DiscardJob drops another one.
func TestResumeAndDiscardOverTheRealBackend(t *testing.T) {
	const pw = "correct horse battery staple"
	h := startConfig(t, OpenShare, share.Config{DataDir: t.TempDir(), LocalnetDir: t.TempDir(), NoKeyring: true, Loopback: true, IPFSMode: "embedded"})
	h.ev.wait(t, EventPassphraseRequest, nil)
	if err := h.app.SubmitPassphrase(pw); err != nil {
		t.Fatal(err)
	}
	waitFor := func(d time.Duration, name string, ok func(any) bool) any {
		t.Helper()
		return h.ev.waitWithin(t, d, name, ok)
	}
	waitFor(2*time.Minute, EventAppState, isState(StateReady))

	// publish rejects the publish of path and returns its unfinished job.
	approvals := 0
	answerNext := func(approve bool) {
		t.Helper()
		approvals++
		req := h.ev.waitNthWithin(t, time.Minute, approvals, EventApprovalRequest, nil).(ApprovalRequest)
		if err := h.app.AnswerApproval(req.ID, approve); err != nil {
			t.Fatal(err)
		}
	}
	rejected := func(path string) share.Dataset {
		t.Helper()
		id, err := h.app.Publish(path, "", "", false, "")
		if err != nil {
			t.Fatal(err)
		}
		answerNext(false)
		je := waitFor(time.Minute, EventJobError, func(d any) bool { return d.(JobError).JobID == id }).(JobError)
		if je.Code != share.CodeRejected {
			t.Fatalf("job:error = %+v", je)
		}
		ds, err := h.app.ListDatasets()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Name == filepath.Base(path) {
				if d.Status != "failed" || d.JobID == "" {
					t.Fatalf("a rejected publish is listed as %+v", d)
				}
				return d
			}
		}
		t.Fatalf("the rejected publish of %s is not listed: %+v", path, ds)
		return share.Dataset{}
	}

	a := rejected(tempFile(t, "a.csv", "a,b\n1,2\n"))
	id, err := h.app.ResumeJob(a.JobID, a.Name)
	if err != nil {
		t.Fatal(err)
	}
	answerNext(true)
	done := waitFor(time.Minute, EventJobDone, func(d any) bool { return d.(JobDone).JobID == id }).(JobDone)
	if done.Dataset == nil || done.Dataset.ID == 0 || done.Dataset.Status != "published" {
		t.Fatalf("job:done of the resume = %+v", done)
	}

	b := rejected(tempFile(t, "b.csv", "c,d\n3,4\n"))
	if err := h.app.DiscardJob(b.JobID); err != nil {
		t.Fatal(err)
	}
	ds, err := h.app.ListDatasets()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Name != "a.csv" || ds[0].Status != "published" {
		t.Fatalf("after resuming a.csv and discarding b.csv the list is %+v", ds)
	}
	wantCode(t, h.app.DiscardJob(b.JobID), share.CodeNotFound)
}
