package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/datashare/datashare/backend/share"
)

// Job kinds.
const (
	KindPublish = "publish"
	KindFetch   = "fetch"
)

// Publish checks its input and publishes the file at path in the background. It returns the job
// id that the job:progress, job:done and job:error events carry. priceEth is a decimal amount of
// ETH ("" or "0": free on request).
func (a *App) Publish(path, name, priceEth string, public bool, description string) (string, error) {
	svc, err := a.service()
	if err != nil {
		return "", fail(err)
	}
	opts, err := checkPublish(path, name, priceEth, description)
	if err != nil {
		return "", fail(invalid(err))
	}
	opts.Public = public
	return a.run(KindPublish, opts.Name, func(ctx context.Context, p share.Progress) (JobDone, error) {
		d, err := svc.Publish(ctx, path, opts, p)
		return JobDone{Dataset: &d}, err
	}), nil
}

// Download asks where to save dataset id (offering its name) and fetches it there in the
// background. An empty job id with a nil error means the user closed the dialog.
func (a *App) Download(id uint64, name string) (string, error) {
	svc, err := a.service()
	if err != nil {
		return "", fail(err)
	}
	if id == 0 {
		return "", fail(newError(share.CodeNotFound, "this dataset is not on the chain yet; wait until it is published"))
	}
	if a.opts.Dialogs == nil {
		return "", fail(errNoDialogs)
	}
	ctx, err := a.window()
	if err != nil {
		return "", fail(err)
	}
	out, err := a.opts.Dialogs.SaveFile(ctx, "Save dataset as", share.SafeFileName(name))
	if err != nil {
		return "", fail(fmt.Errorf("the save dialog failed: %w", err))
	}
	if out == "" {
		return "", nil
	}
	// The save dialog asked before it returned an existing file: replacing it is what the user chose.
	return a.run(KindFetch, name, func(ctx context.Context, p share.Progress) (JobDone, error) {
		r, err := svc.Fetch(ctx, id, out, share.FetchOptions{Overwrite: true}, p)
		return JobDone{Result: &r}, err
	}), nil
}

// ResumeJob continues the unfinished publish jobID (a Dataset's JobID, status "interrupted" or
// "failed") in the background, like Publish; name labels its progress. It returns the job id of
// the events.
func (a *App) ResumeJob(jobID, name string) (string, error) {
	svc, err := a.service()
	if err != nil {
		return "", fail(err)
	}
	if jobID = strings.TrimSpace(jobID); jobID == "" {
		return "", fail(newError(share.CodeInvalidInput, "choose the unfinished publish to resume"))
	}
	return a.run(KindPublish, name, func(ctx context.Context, p share.Progress) (JobDone, error) {
		d, err := svc.ResumeJob(ctx, jobID, p)
		return JobDone{Dataset: &d}, err
	}), nil
}

// discardTimeout bounds DiscardJob: unpinning, and for a publish a phone may have sent, looking
// for it on the chain.
const discardTimeout = time.Minute

// DiscardJob drops the unfinished publish jobID and removes the encrypted copy it added to IPFS.
// A publish that may be on chain is kept (code "on_chain": resume it instead).
func (a *App) DiscardJob(jobID string) error {
	svc, err := a.service()
	if err != nil {
		return fail(err)
	}
	if jobID = strings.TrimSpace(jobID); jobID == "" {
		return fail(newError(share.CodeInvalidInput, "choose the unfinished publish to discard"))
	}
	ctx, cancel := context.WithTimeout(a.lifetime(), discardTimeout)
	defer cancel()
	return fail(svc.DiscardJob(ctx, jobID))
}

// CancelJob stops a running publish or download.
func (a *App) CancelJob(jobID string) error {
	if !a.jobs.cancel(jobID) {
		return fail(newError(share.CodeNotFound, "this job is not running any more"))
	}
	return nil
}

// run starts fn as a job that ends at CancelJob or Shutdown, and reports how it went.
func (a *App) run(kind, name string, fn func(context.Context, share.Progress) (JobDone, error)) string {
	id, ctx, finish := a.jobs.start(a.lifetime())
	p := &progress{a: a, interval: a.opts.ProgressInterval, ev: JobProgress{JobID: id, Kind: kind, Name: name, Total: -1}}
	go func() {
		defer finish()
		done, err := fn(ctx, p)
		p.flush()
		if err != nil {
			e := failWith(err, message(err))
			if ctx.Err() != nil { // stopped: whatever the backend made of it
				e = &Error{Code: share.CodeCanceled, Message: "Canceled."}
			}
			a.emit(EventJobError, JobError{JobID: id, Kind: kind, Name: name, Code: e.Code, Message: e.Message})
			return
		}
		done.JobID, done.Kind, done.Name = id, kind, name
		a.emit(EventJobDone, done)
	}()
	return id
}

// jobIDKey is the context key of a job's id: the backend passes the job's context on to
// OnPhoneRequest, which tells the frontend which job is waiting for the phone.
type jobIDKey struct{}

// jobID is the id of the job whose context ctx is (or derives from), "" outside a job.
func jobID(ctx context.Context) string {
	id, _ := ctx.Value(jobIDKey{}).(string)
	return id
}

// jobs are the running publishes and downloads.
type jobs struct {
	mu      sync.Mutex
	next    int
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
}

func (j *jobs) init() { j.running = map[string]context.CancelFunc{} }

// start registers a job; finish must be called when it ends.
func (j *jobs) start(parent context.Context) (id string, ctx context.Context, finish func()) {
	j.mu.Lock()
	j.next++
	id = fmt.Sprintf("job-%d", j.next)
	ctx, cancel := context.WithCancel(context.WithValue(parent, jobIDKey{}, id))
	j.running[id] = cancel
	j.mu.Unlock()
	j.wg.Add(1)
	return id, ctx, func() {
		j.mu.Lock()
		delete(j.running, id)
		j.mu.Unlock()
		cancel()
		j.wg.Done()
	}
}

func (j *jobs) cancel(id string) bool {
	j.mu.Lock()
	cancel, ok := j.running[id]
	j.mu.Unlock()
	if ok {
		cancel()
	}
	return ok
}

// count is how many jobs are running.
func (j *jobs) count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.running)
}

// wait returns when every job has ended or when deadline is closed.
func (j *jobs) wait(deadline <-chan struct{}) {
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-deadline:
	}
}

// progress forwards a job's progress as job:progress events: every stage change, and byte
// counts at most once per interval (the last one is flushed when the job ends).
type progress struct {
	a        *App
	interval time.Duration

	mu      sync.Mutex
	ev      JobProgress
	last    time.Time
	pending bool
}

func (p *progress) Stage(s share.Stage) {
	if s != share.StageApprove { // past the approval: the phone has answered
		p.a.closePhoneRequests(p.ev.JobID)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ev.Stage, p.ev.Done, p.ev.Total = string(s), 0, -1
	p.sendLocked()
}

func (p *progress) Bytes(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ev.Done, p.ev.Total = done, total
	if time.Since(p.last) >= p.interval || (total > 0 && done >= total) {
		p.sendLocked()
		return
	}
	p.pending = true
}

func (p *progress) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending {
		p.sendLocked()
	}
}

func (p *progress) sendLocked() {
	p.last, p.pending = time.Now(), false
	p.a.emit(EventJobProgress, p.ev)
}
