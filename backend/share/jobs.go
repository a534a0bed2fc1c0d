package share

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/index"
)

// JobOutcome is what resuming one unfinished publish came to: Err is nil when Job was
// published.
type JobOutcome struct {
	Job Dataset
	Err error
}

// MarshalJSON writes {"job": …, "error": "…"} ("error" only when the job failed).
func (o JobOutcome) MarshalJSON() ([]byte, error) {
	v := struct {
		Job   Dataset `json:"job"`
		Error string  `json:"error,omitempty"`
	}{Job: o.Job}
	if o.Err != nil {
		v.Error = o.Err.Error()
	}
	return json.Marshal(v)
}

// chainCallTimeout bounds one call to the chain node (a variable for tests).
var chainCallTimeout = 20 * time.Second

// chainCtx bounds a direct call to the chain node.
func chainCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, chainCallTimeout)
}

// Jobs lists the unfinished publishes of every account of the profile, oldest first. Status is
// "publishing" while one runs in this process, "failed" (with Error) when its last attempt
// failed, else "interrupted": resume or discard it.
func (s *Service) Jobs(ctx context.Context) ([]Dataset, error) {
	jobs, err := s.index.Jobs(ctx, "", index.Unfinished...)
	if err != nil {
		return nil, err
	}
	out := make([]Dataset, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, s.jobDataset(j))
	}
	return out, nil
}

// job loads an unfinished publish by ID.
func (s *Service) job(ctx context.Context, jobID string) (*index.Job, error) {
	j, err := s.index.Job(ctx, jobID)
	if errors.Is(err, index.ErrNotFound) {
		return nil, notFound(fmt.Sprintf("there is no publish job %q: see datashare jobs", jobID))
	}
	return j, err
}

// ResumeJob continues one unfinished publish and returns the dataset once it is confirmed.
func (s *Service) ResumeJob(ctx context.Context, jobID string, p Progress) (Dataset, error) {
	if err := s.writable("ResumeJob"); err != nil {
		return Dataset{}, err
	}
	if p == nil {
		p = NoProgress{}
	}
	if err := s.waitRecovered(ctx); err != nil {
		return Dataset{}, err
	}
	j, err := s.job(ctx, jobID)
	if err != nil {
		return Dataset{}, err
	}
	if j.Stage == index.JobConfirmed {
		return s.jobDataset(j), nil
	}
	return s.runJob(ctx, j, p)
}

// canRun refuses a job that needs an approval from another account than the current one (its
// publish, if already on chain, is found without one).
func (s *Service) canRun(j *index.Job) error {
	if j.Stage == index.JobSigned || strings.EqualFold(j.Owner, s.Account().Hex()) {
		return nil
	}
	return sentence(fmt.Sprintf("the publish of %s (job %s) was started by account %s, and %s approves now: pair that account again to resume it, or discard the job with datashare jobs discard %s",
		j.Name, j.ID, j.Owner, s.Account().Hex(), j.ID), ErrInvalidInput)
}

// Resume continues the unfinished publishes, oldest first: those of the current account, and
// those of any account whose transaction is signed. It goes on past a job that fails and
// returns each job's outcome; the error is for what stopped it from trying them all.
func (s *Service) Resume(ctx context.Context, p Progress) ([]JobOutcome, error) {
	if err := s.writable("Resume"); err != nil {
		return nil, err
	}
	if p == nil {
		p = NoProgress{}
	}
	if err := s.waitRecovered(ctx); err != nil {
		return nil, err
	}
	jobs, err := s.index.Jobs(ctx, "", index.Unfinished...)
	if err != nil {
		return nil, err
	}
	var out []JobOutcome
	for _, j := range jobs {
		if s.canRun(j) != nil {
			continue // another account's: listed by Jobs, resumed once it approves again
		}
		d, err := s.runJob(ctx, j, p)
		if err != nil {
			d = s.jobDataset(j)
			what := "publishing"
			if j.Kind == kindUpdate {
				what = fmt.Sprintf("the update of dataset %d with", j.DatasetID)
			}
			err = fmt.Errorf("resume %s %s: %w", what, j.Name, err)
		}
		out = append(out, JobOutcome{Job: d, Err: err})
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// ErrOnChain is matched by the refusal to discard a job whose transaction may be on chain.
var ErrOnChain = errors.New("the transaction may be on chain")

// DiscardJob drops an unfinished publish and unpins what it added to IPFS. A job whose
// transaction may be on chain (signed, or sent) is refused: resume it to learn its fate.
func (s *Service) DiscardJob(ctx context.Context, jobID string) error {
	if err := s.writable("DiscardJob"); err != nil {
		return err
	}
	if err := s.waitRecovered(ctx); err != nil {
		return err
	}
	j, err := s.job(ctx, jobID)
	if err != nil {
		return err
	}
	release, ok := s.claim(j.ID)
	if !ok {
		return sentence(fmt.Sprintf("the publish of %s (job %s) is running: cancel it first", j.Name, j.ID), ErrBusy)
	}
	defer release()
	return s.discard(ctx, j)
}

// claim marks job id as running in this Service; ok is false when it runs already. release
// ends the claim.
func (s *Service) claim(id string) (release func(), ok bool) {
	s.jobsMu.Lock()
	defer s.jobsMu.Unlock()
	if s.running[id] {
		return nil, false
	}
	s.running[id] = true
	return func() {
		s.jobsMu.Lock()
		delete(s.running, id)
		s.jobsMu.Unlock()
	}, true
}

// discard drops a job that is not running (the caller holds it in s.running).
func (s *Service) discard(ctx context.Context, j *index.Job) error {
	switch j.Stage {
	case index.JobConfirmed:
		return fmt.Errorf("%s (job %s) is already published as dataset %d: there is nothing to discard", j.Name, j.ID, j.DatasetID)
	case index.JobSigned:
		return fmt.Errorf("%w: the %s of %s (job %s) signed transaction %s, which may still be mined: finish it with datashare jobs resume %s",
			ErrOnChain, jobWhat(j), j.Name, j.ID, j.TxHash, j.ID)
	case index.JobUpdated, index.JobGranting:
		return fmt.Errorf("%w: version %d of dataset %d is on chain and its re-grant to the current grantees is unfinished: finish it with datashare jobs resume %s",
			ErrOnChain, j.Version, j.DatasetID, j.ID)
	case index.JobMetadata:
		// A phone wallet sends the transaction itself: look for it before forgetting the job.
		r, err := s.findSent(ctx, j)
		if err != nil {
			return fmt.Errorf("cannot tell whether the publish of %s (job %s) reached the chain, so it is kept: %w", j.Name, j.ID, err)
		}
		if r != nil {
			if err := s.confirmed(ctx, j, r); err != nil {
				return err
			}
			return fmt.Errorf("%w: the publish of %s (job %s) is on chain as dataset %d: it is kept", ErrOnChain, j.Name, j.ID, j.DatasetID)
		}
	}
	if err := s.unpinJob(ctx, j); err != nil {
		return err
	}
	return s.index.DeleteJob(ctx, j.ID)
}

// jobWhat names a job's kind for messages.
func jobWhat(j *index.Job) string {
	if j.Kind == kindUpdate {
		return "update"
	}
	return "publish"
}

// unpinJob removes the pins a job added: its payload, its metadata, a folder's file list, and
// any of them added before a crash could record it in the job (each pin is named after its job).
func (s *Service) unpinJob(ctx context.Context, j *index.Job) error {
	cids := []string{j.MetadataCID, j.PayloadCID}
	pins, err := s.ipfs.Pins(ctx)
	if err != nil {
		return fmt.Errorf("list what the publish of %s (job %s) added: %w", j.Name, j.ID, err)
	}
	for _, p := range pins {
		for _, kind := range []string{"payload", "listing", "metadata"} {
			if p.Name == "datashare "+kind+" "+j.ID {
				cids = append(cids, p.Cid.String())
			}
		}
	}
	for _, c := range cids {
		if c == "" {
			continue
		}
		if err := s.unpin(ctx, c); err != nil {
			return fmt.Errorf("unpin what the publish of %s (job %s) added: %w", j.Name, j.ID, err)
		}
	}
	return nil
}

// unpin removes a pin; one that is not there is no error.
func (s *Service) unpin(ctx context.Context, c string) error {
	id, err := cid.Decode(c)
	if err != nil {
		return nil // nothing this app could have pinned
	}
	err = s.ipfs.Unpin(ctx, id)
	if err != nil && strings.Contains(err.Error(), "not pinned") {
		return nil
	}
	return err
}
