package share

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/contracts"
)

// Updates: a new version of a dataset is the file at path encrypted with a new dataset key,
// its metadata (name, description and visibility carried over), an `update` on chain, and a
// re-grant of the new version to every account that holds a key and is not revoked.
//
// An update is a job in the journal like a publish, with two more stages: JobUpdated (the new
// version is on chain, the re-grant is not) and JobGranting (a re-grant transaction is signed).
// Resuming an update that stopped after its update transaction completes the re-grant; the
// grantees are read from the chain before anything is sent, so nothing is granted twice.

// afterUpdate, when set (tests), is called once an update's transaction is confirmed and
// journaled, before the re-grant; an error stops the update there, as a crash would.
var afterUpdate func(*index.Job) error

// Update publishes the file at path as the next version of dataset id, with a new key, and
// re-grants it to every current grantee (not revoked). Only the owner may update. It returns the
// dataset at its new version once the re-grant is confirmed.
func (s *Service) Update(ctx context.Context, id uint64, path string, p Progress) (Dataset, error) {
	if p == nil {
		p = NoProgress{}
	}
	if err := s.waitRecovered(ctx); err != nil {
		return Dataset{}, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Dataset{}, err
	}
	fi, err := CheckPublishFile(abs)
	if err != nil {
		return Dataset{}, err
	}
	info, err := s.ownDataset(ctx, id, "update")
	if err != nil {
		return Dataset{}, err
	}
	// An unfinished update of this dataset: continue it when it is of the same file, else drop it
	// if it never reached the chain.
	jobs, err := s.index.Jobs(ctx, s.Account().Hex(), index.Unfinished...)
	if err != nil {
		return Dataset{}, err
	}
	for _, j := range jobs {
		if j.Kind != kindUpdate || j.DatasetID != id {
			continue
		}
		if j.Path == abs && j.ModTime.Equal(fi.ModTime()) && (j.Size < 0 || j.Size == fi.Size()) {
			return s.runUpdate(ctx, j, p)
		}
		release, ok := s.claim(j.ID)
		if !ok {
			return Dataset{}, sentence(fmt.Sprintf("dataset %d is being updated (job %s): wait for it to finish", id, j.ID), ErrBusy)
		}
		err := s.discard(ctx, j)
		release()
		if err != nil {
			return Dataset{}, fmt.Errorf("dataset %d has an unfinished update of %s: %w", id, j.Path, err)
		}
	}

	vs, err := s.versions(ctx, id)
	if err != nil {
		return Dataset{}, err
	}
	oldKey, err := s.ownerKey(id, info.Version, vs)
	if err != nil {
		return Dataset{}, err
	}
	old, err := s.readMetadata(ctx, vs[info.Version].MetadataCID, oldKey)
	if err != nil {
		return Dataset{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	key, err := seal.NewDatasetKey()
	if err != nil {
		return Dataset{}, err
	}
	envelope, err := seal.SealKey(key, s.pub.encKey)
	if err != nil {
		return Dataset{}, err
	}
	var jid [8]byte
	if _, err := rand.Read(jid[:]); err != nil {
		return Dataset{}, err
	}
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return Dataset{}, fmt.Errorf("read the chain: %w", err)
	}
	job := &index.Job{
		ID: hex.EncodeToString(jid[:]), Kind: kindUpdate, Stage: index.JobCreated,
		Path: abs, ModTime: fi.ModTime(), Name: old.Name, Description: old.Description,
		Price: info.Price.String(), Public: old.Public, Owner: s.Account().Hex(), KeyEnvelope: envelope,
		Size: -1, StartBlock: head, DatasetID: id,
	}
	if err := s.index.PutJob(ctx, job); err != nil {
		return Dataset{}, fmt.Errorf("record the update: %w", err)
	}
	return s.runUpdate(ctx, job, p)
}

// kindUpdate is the journal's kind of an update job.
const kindUpdate = "update"

// runJob takes a job of any kind from its stage to done.
func (s *Service) runJob(ctx context.Context, j *index.Job, p Progress) (Dataset, error) {
	if j.Kind == kindUpdate {
		return s.runUpdate(ctx, j, p)
	}
	return s.run(ctx, j, p)
}

// runUpdate takes an update job from its stage to re-granted.
func (s *Service) runUpdate(ctx context.Context, job *index.Job, p Progress) (d Dataset, err error) {
	release, ok := s.claim(job.ID)
	if !ok {
		return Dataset{}, ErrBusy
	}
	defer func() {
		release()
		if err != nil && job.Stage != index.JobConfirmed {
			if job.Stage == index.JobSigned && (errors.Is(err, chain.ErrReplaced) || errors.Is(err, chain.ErrTxFailed)) {
				unsign(job)
			}
			job.Error = err.Error()
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if perr := s.index.PutJob(wctx, job); perr != nil {
				err = errors.Join(err, perr)
			}
		}
	}()
	job.Error = ""

	ident, err := s.identity("resuming " + job.Name)
	if err != nil {
		return Dataset{}, err
	}
	key, err := seal.OpenKey(job.KeyEnvelope, ident)
	if err != nil {
		return Dataset{}, fmt.Errorf("open the new key of %s: %w", job.Name, err)
	}
	if job.Stage == index.JobCreated {
		if err := s.addPayload(ctx, job, key, p); err != nil {
			return Dataset{}, err
		}
	}
	if job.Stage == index.JobPayload {
		if err := s.addMetadata(ctx, job, key, p); err != nil {
			return Dataset{}, err
		}
	}
	var rcpt *types.Receipt
	switch job.Stage {
	case index.JobMetadata:
		if rcpt, err = s.findSent(ctx, job); err != nil {
			return Dataset{}, err
		}
		if rcpt == nil {
			if err := s.canRun(job); err != nil {
				return Dataset{}, err
			}
			if rcpt, err = s.submitUpdate(ctx, job, p); err != nil {
				return Dataset{}, err
			}
		}
	case index.JobSigned:
		p.Stage(StageConfirm)
		if rcpt, err = s.track(ctx, job, p, false); err != nil {
			return Dataset{}, fmt.Errorf("confirm the update of %s: %w", job.Name, err)
		}
	}
	if rcpt != nil {
		if err := s.confirmed(ctx, job, rcpt); err != nil {
			return Dataset{}, err
		}
		if afterUpdate != nil {
			if err := afterUpdate(job); err != nil {
				return Dataset{}, err
			}
		}
	}
	if job.Stage == index.JobUpdated || job.Stage == index.JobGranting {
		if err := s.regrant(ctx, job, key, p); err != nil {
			return Dataset{}, err
		}
	}
	p.Stage(StageDone)
	return s.jobDataset(job), nil
}

// submitUpdate asks for approval of the update transaction, journaled before it is sent.
func (s *Service) submitUpdate(ctx context.Context, job *index.Job, p Progress) (*types.Receipt, error) {
	mc, err := cid.Decode(job.MetadataCID)
	if err != nil {
		return nil, err
	}
	acc, err := s.Access(ctx, job.DatasetID)
	if err != nil {
		return nil, err
	}
	p.Stage(StageApprove)
	note := fmt.Sprintf("%s, encrypted with a new key; ", FormatSize(job.Size))
	switch n := len(acc.Grantees); n {
	case 0:
		note += "no one else holds a key, so nothing is re-granted"
	default:
		note += fmt.Sprintf("then re-granted to the %d account(s) holding a key (not revoked)", n)
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:  "Update dataset",
		Dataset: fmt.Sprintf("%s (dataset %d)", job.Name, job.DatasetID),
		Note:    note,
		To:      s.network.Contract,
		Data:    ds.PackUpdate(new(big.Int).SetUint64(job.DatasetID), mc.Bytes(), job.KeyEnvelope),
		Check: func(r *types.Receipt) error {
			ev, err := s.updatedEvent(r)
			if err != nil {
				return err
			}
			if ev.Id.Uint64() != job.DatasetID || !bytes.Equal(ev.MetadataCid, mc.Bytes()) {
				return errors.New("its Updated event is for another version")
			}
			return nil
		},
		Journal: &jobJournal{s: s, job: job, p: p},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return nil, fmt.Errorf("update %s: %w", job.Name, err)
	}
	return out.Receipt, nil
}

func (s *Service) updatedEvent(r *types.Receipt) (*contracts.DataShareUpdated, error) {
	for _, l := range r.Logs {
		if l.Address != s.network.Contract {
			continue
		}
		if ev, err := ds.UnpackUpdatedEvent(l); err == nil {
			return ev, nil
		}
	}
	return nil, errors.New("it records no Updated event")
}

// findSent looks on chain for a job's transaction sent without being journaled (a phone wallet
// sends it itself): the Published event of a publish, the Updated event of an update.
func (s *Service) findSent(ctx context.Context, job *index.Job) (*types.Receipt, error) {
	if job.Kind != kindUpdate {
		return s.findPublished(ctx, job)
	}
	mc, err := cid.Decode(job.MetadataCID)
	if err != nil {
		return nil, err
	}
	from := max(job.StartBlock, s.fromBlk)
	if head, err := s.chain.BlockNumber(ctx); err != nil {
		return nil, err
	} else if from > head {
		from = s.fromBlk
	}
	id := job.DatasetID
	evs, err := s.chain.UpdatedEvents(ctx, &id, from, ^uint64(0))
	if err != nil {
		return nil, fmt.Errorf("look for an earlier update of %s: %w", job.Name, err)
	}
	for _, e := range evs {
		if bytes.Equal(e.Value.MetadataCid, mc.Bytes()) {
			cctx, cancel := chainCtx(ctx)
			defer cancel()
			return s.chain.Eth().TransactionReceipt(cctx, e.TxHash)
		}
	}
	return nil, nil
}

// confirmedUpdate records a mined update: the job moves to JobUpdated with the new version, and
// the dataset's index entry to that version.
func (s *Service) confirmedUpdate(ctx context.Context, job *index.Job, r *types.Receipt) error {
	ev, err := s.updatedEvent(r)
	if err != nil {
		return fmt.Errorf("transaction %s: %w", r.TxHash.Hex(), err)
	}
	job.Stage, job.Version, job.Block, job.TxHash = index.JobUpdated, ev.Version, r.BlockNumber.Uint64(), r.TxHash.Hex()
	job.Error = ""
	if err := s.index.PutJob(ctx, job); err != nil {
		return err
	}
	return s.index.PutDataset(ctx, s.jobIndexDataset(job, job.Price, ev.OwnerEnvelope))
}

// regrant gives the job's new version to every account that holds a key of the dataset and is
// not revoked. A re-grant transaction journaled before a stop is seen through first; then the
// grantees are read from the chain, so that none is granted twice.
func (s *Service) regrant(ctx context.Context, job *index.Job, key *seal.DatasetKey, p Progress) error {
	if job.Stage == index.JobGranting && len(job.GrantRaw) > 0 {
		p.Stage(StageConfirm)
		f := chain.Follow{Journal: &grantJournal{s: s, job: job}, StuckAfter: stuckAfter}
		if strings.EqualFold(job.Owner, s.pub.device.Hex()) {
			f.Key = s.keys.DeviceKey()
		}
		_, err := s.chain.Track(ctx, job.GrantRaw, f)
		if err != nil && !errors.Is(err, chain.ErrReplaced) && !errors.Is(err, chain.ErrTxFailed) {
			return fmt.Errorf("confirm the re-grant of %s: %w", job.Name, err)
		}
		// Mined, replaced or failed: the chain's state below decides what is left to send.
	}
	acc, err := s.Access(ctx, job.DatasetID)
	if err != nil {
		return err
	}
	var to []grantee
	for _, g := range acc.Grantees {
		if g.Version >= job.Version {
			continue
		}
		gr, err := s.regrantee(ctx, job.DatasetID, common.HexToAddress(g.Account))
		if err != nil {
			return fmt.Errorf("re-grant version %d of %s: %w", job.Version, job.Name, err)
		}
		to = append(to, gr)
	}
	if len(to) > 0 {
		p.Stage(StageApprove)
		name := fmt.Sprintf("%s (dataset %d)", job.Name, job.DatasetID)
		if _, err := s.sendGrants(ctx, job.DatasetID, name, job.Version, key, to, &grantJournal{s: s, job: job}); err != nil {
			return fmt.Errorf("re-grant version %d: %w", job.Version, err)
		}
	}
	job.Stage, job.Error = index.JobConfirmed, ""
	return s.index.PutJob(ctx, job)
}

// regrantee is a current grantee as a new version is sealed to it: a share link this profile
// made with the link's derived key, any other account with its registered key.
func (s *Service) regrantee(ctx context.Context, id uint64, a common.Address) (grantee, error) {
	if g, ok, err := s.linkGrantee(ctx, id, a); err != nil || ok {
		return g, err
	}
	k, err := s.recipientKey(ctx, a)
	return grantee{Address: a, Key: k}, err
}

// grantJournal records an update's re-grant transaction before it is sent.
type grantJournal struct {
	s   *Service
	job *index.Job
}

func (j *grantJournal) SaveSigned(ctx context.Context, hash common.Hash, raw []byte) error {
	j.job.GrantTx, j.job.GrantRaw, j.job.Stage = hash.Hex(), raw, index.JobGranting
	if err := j.s.index.PutJob(ctx, j.job); err != nil {
		return fmt.Errorf("journal the signed re-grant: %w", err)
	}
	return nil
}
