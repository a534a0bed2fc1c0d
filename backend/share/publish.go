package share

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
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

var (
	ds = contracts.NewDataShare()
	// maxPrice is the contract's price limit, 2^96-1 wei.
	maxPrice = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))
)

// errStoppedReading ends the encryption of a payload that IPFS no longer reads.
var errStoppedReading = errors.New("IPFS stopped reading the payload")

// ErrBusy is returned when the same publish is already running.
var ErrBusy = errors.New("this file is already being published")

// Publish encrypts the file at path, stores it on IPFS and registers it on chain, asking the
// account holder to approve the transaction. It returns once the transaction is confirmed.
//
// Publishing a file that has an unfinished publish (interrupted, rejected or failed) with the
// same options continues that publish with the same dataset key instead of starting a second
// one. With other options (name, description, price, visibility), the unfinished publish is
// discarded (and what it added unpinned) if it never reached the chain, and a new one starts;
// if its transaction may be on chain, Publish refuses and names the job to resume.
func (s *Service) Publish(ctx context.Context, path string, opts PublishOptions, p Progress) (Dataset, error) {
	if err := s.writable("Publish"); err != nil {
		return Dataset{}, err
	}
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
	if opts, err = checkPublishOptions(abs, opts); err != nil {
		return Dataset{}, err
	}
	job, err := s.resumable(ctx, abs, fi)
	if err != nil {
		return Dataset{}, err
	}
	if job != nil {
		if diff := optionsDiffer(job, opts); diff != "" {
			if err := s.supersede(ctx, job, diff); err != nil {
				return Dataset{}, err
			}
			job = nil
		}
	}
	if job == nil {
		if job, err = s.newJob(ctx, abs, fi, opts); err != nil {
			return Dataset{}, err
		}
	}
	return s.run(ctx, job, p)
}

// resumable finds an unfinished publish of the same, unchanged file.
func (s *Service) resumable(ctx context.Context, path string, fi os.FileInfo) (*index.Job, error) {
	jobs, err := s.index.Jobs(ctx, s.Account().Hex(), index.Unfinished...)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.Kind == kindUpdate {
			continue // a new version of a dataset (Update), not a publish
		}
		if j.Path == path && j.ModTime.Equal(fi.ModTime()) && (j.Size < 0 || j.Size == fi.Size()) {
			return j, nil
		}
	}
	return nil, nil
}

// optionsDiffer says how opts (checked: the name is set) differ from those of the unfinished job
// ("" when they do not).
func optionsDiffer(j *index.Job, opts PublishOptions) string {
	name := opts.Name
	price := "0"
	if opts.Price != nil {
		price = opts.Price.String()
	}
	var d []string
	if name != j.Name {
		d = append(d, fmt.Sprintf("name %q, not %q", j.Name, name))
	}
	if opts.Description != j.Description {
		d = append(d, "another description")
	}
	if price != j.Price {
		if old, err := jobPrice(j); err == nil {
			d = append(d, fmt.Sprintf("price %s, not %s", FormatEther(old), FormatEther(opts.Price)))
		} else {
			d = append(d, "another price")
		}
	}
	if opts.Public != j.Public {
		vis := map[bool]string{true: "public", false: "private"}
		d = append(d, fmt.Sprintf("%s, not %s", vis[j.Public], vis[opts.Public]))
	}
	if opts.MediaType != "" && opts.MediaType != j.MediaType {
		d = append(d, fmt.Sprintf("media type %s, not %s", j.MediaType, opts.MediaType))
	}
	return strings.Join(d, "; ")
}

// supersede discards an unfinished publish of the file made with other options, or refuses when
// it may be on chain.
func (s *Service) supersede(ctx context.Context, j *index.Job, diff string) error {
	release, ok := s.claim(j.ID)
	if !ok {
		return ErrBusy
	}
	defer release()
	if err := s.discard(ctx, j); err != nil {
		return fmt.Errorf("%s has an unfinished publish with other options (%s): %w; see datashare jobs", j.Path, diff, err)
	}
	return nil
}

// newJob records a new publish of the file at path with checked options.
func (s *Service) newJob(ctx context.Context, path string, fi os.FileInfo, opts PublishOptions) (*index.Job, error) {
	name := opts.Name
	price := opts.Price
	if price == nil {
		price = new(big.Int)
	}
	key, err := seal.NewDatasetKey()
	if err != nil {
		return nil, err
	}
	envelope, err := seal.SealKey(key, s.pub.encKey)
	if err != nil {
		return nil, err
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the chain: %w", err)
	}
	job := &index.Job{
		ID: hex.EncodeToString(id[:]), Kind: "publish", Stage: index.JobCreated,
		Path: path, ModTime: fi.ModTime(), Name: name, Description: opts.Description,
		Price: price.String(), Public: opts.Public, MediaType: opts.MediaType,
		Owner: s.Account().Hex(), KeyEnvelope: envelope, Size: -1, StartBlock: head,
	}
	if err := s.index.PutJob(ctx, job); err != nil {
		return nil, fmt.Errorf("record the publish: %w", err)
	}
	return job, nil
}

// run takes a job from its stage to confirmed.
func (s *Service) run(ctx context.Context, job *index.Job, p Progress) (d Dataset, err error) {
	release, ok := s.claim(job.ID)
	if !ok {
		return Dataset{}, ErrBusy
	}
	defer func() {
		release()
		if err != nil && job.Stage != index.JobConfirmed {
			if job.Stage == index.JobSigned && (errors.Is(err, chain.ErrReplaced) || errors.Is(err, chain.ErrTxFailed)) {
				unsign(job) // never to be mined: sign again on the next attempt
			}
			job.Error = err.Error()
			// Record why it stopped, even when ctx was canceled.
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
		return Dataset{}, fmt.Errorf("open the dataset key of %s: %w", job.Name, err)
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
		if rcpt, err = s.findPublished(ctx, job); err != nil {
			return Dataset{}, err
		}
		if rcpt == nil {
			if err := s.canRun(job); err != nil {
				return Dataset{}, err
			}
			if rcpt, err = s.submit(ctx, job, p); err != nil {
				return Dataset{}, err
			}
		}
	case index.JobSigned:
		p.Stage(StageConfirm)
		if rcpt, err = s.track(ctx, job, p, false); err != nil {
			return Dataset{}, fmt.Errorf("confirm the publish of %s: %w", job.Name, err)
		}
	}
	if rcpt != nil {
		if err := s.confirmed(ctx, job, rcpt); err != nil {
			return Dataset{}, err
		}
	}
	p.Stage(StageDone)
	return s.jobDataset(job), nil
}

// addPayload hashes, encrypts and adds the file to IPFS in one streaming pass.
func (s *Service) addPayload(ctx context.Context, job *index.Job, key *seal.DatasetKey, p Progress) error {
	if isFolderJob(job) {
		return s.addFolderPayload(ctx, job, key, p)
	}
	f, err := os.Open(job.Path)
	if err != nil {
		return fmt.Errorf("open %s: %w", job.Path, err)
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return err
	}
	if !before.ModTime().Equal(job.ModTime) {
		return fmt.Errorf("%s changed since this publish started: publish it again as a new dataset", job.Path)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	if job.MediaType == "" {
		job.MediaType = detectMediaType(job.Path, br)
	}

	p.Stage(StageEncrypt)
	h := sha256.New()
	src := &progressReader{ctx: ctx, r: br, total: before.Size(), p: p}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		w, err := seal.Encrypt(pw, key)
		if err == nil {
			if _, err = io.Copy(w, io.TeeReader(src, h)); err == nil {
				err = w.Close()
			}
		}
		pw.CloseWithError(err)
		done <- err
	}()
	c, addErr := s.ipfs.Add(ctx, pr, "datashare payload "+job.ID)
	pr.CloseWithError(errStoppedReading) // unblocks the encrypting goroutine if Add gave up
	encErr := <-done
	switch {
	case encErr != nil && !errors.Is(encErr, errStoppedReading):
		return fmt.Errorf("read and encrypt %s: %w", job.Path, encErr)
	case addErr != nil:
		return fmt.Errorf("add %s to IPFS: %w", job.Name, addErr)
	case encErr != nil:
		return fmt.Errorf("add %s to IPFS: %w", job.Name, encErr)
	}
	after, err := os.Stat(job.Path)
	if err == nil && (src.n != before.Size() || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime())) {
		err = fmt.Errorf("%s changed while it was being published: try again when it is complete", job.Path)
	}
	if err == nil {
		job.PayloadCID, job.Size, job.SHA256 = c.String(), src.n, hex.EncodeToString(h.Sum(nil))
		job.Stage = index.JobPayload
		if err = s.index.PutJob(ctx, job); err != nil {
			job.PayloadCID, job.Size, job.SHA256, job.Stage = "", -1, "", index.JobCreated
		}
	}
	if err != nil {
		return s.abortAdd(ctx, c, err)
	}
	return nil
}

// abortAdd unpins what an attempt added but could not record, and returns err.
func (s *Service) abortAdd(ctx context.Context, c cid.Cid, err error) error {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if uerr := s.unpin(uctx, c.String()); uerr != nil {
		return errors.Join(err, uerr)
	}
	return err
}

// addMetadata writes the metadata document (encrypted unless public) to IPFS.
func (s *Service) addMetadata(ctx context.Context, job *index.Job, key *seal.DatasetKey, p Progress) error {
	p.Stage(StageMetadata)
	addrs, err := s.ipfs.Addrs(ctx)
	if err != nil {
		return fmt.Errorf("read this node's IPFS addresses: %w", err)
	}
	m := Metadata{
		Format: MetadataFormat, Version: 1, Name: job.Name, Description: job.Description,
		Size: job.Size, MediaType: job.MediaType, SHA256: job.SHA256, Payload: job.PayloadCID,
		Public: job.Public, Created: job.CreatedAt.UTC().Truncate(time.Second),
		Providers: []Provider{ProviderHint(s.ipfs.PeerID(), addrs)},
	}
	if job.MediaType == FolderMediaType {
		if err := s.addListing(ctx, job, key, &m); err != nil {
			return err
		}
	}
	if err := CheckMetadataFits(m); err != nil {
		return err
	}
	b, err := encodeMetadata(m, key)
	if err != nil {
		return err
	}
	c, err := s.ipfs.Add(ctx, bytes.NewReader(b), "datashare metadata "+job.ID)
	if err != nil {
		return fmt.Errorf("add the metadata of %s to IPFS: %w", job.Name, err)
	}
	job.MetadataCID = c.String()
	job.Stage = index.JobMetadata
	if err := s.index.PutJob(ctx, job); err != nil {
		job.MetadataCID, job.Stage = "", index.JobPayload
		return s.abortAdd(ctx, c, err)
	}
	return nil
}

// jobPrice reads the price a job recorded (wei, in decimal).
func jobPrice(j *index.Job) (*big.Int, error) {
	v, ok := new(big.Int).SetString(j.Price, 10)
	if !ok || v.Sign() < 0 || v.Cmp(maxPrice) > 0 {
		return nil, fmt.Errorf("the journal of %s holds an unreadable price %q: discard it (datashare jobs discard %s) and publish again", j.Name, j.Price, j.ID)
	}
	return v, nil
}

// submit asks for approval of the publish transaction; the signed transaction is journaled
// before it is sent.
func (s *Service) submit(ctx context.Context, job *index.Job, p Progress) (*types.Receipt, error) {
	mc, err := cid.Decode(job.MetadataCID)
	if err != nil {
		return nil, err
	}
	price, err := jobPrice(job)
	if err != nil {
		return nil, err
	}
	p.Stage(StageApprove)
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:  "Publish dataset",
		Dataset: job.Name,
		Note:    publishNote(job, price),
		To:      s.network.Contract,
		Data:    ds.PackPublish(mc.Bytes(), price, job.KeyEnvelope),
		Check:   s.checkPublished(mc.Bytes()),
		Journal: &jobJournal{s: s, job: job, p: p},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return nil, fmt.Errorf("publish %s: %w", job.Name, err)
	}
	return out.Receipt, nil
}

// publishNote tells the account holder what the publish sets up.
func publishNote(job *index.Job, price *big.Int) string {
	access := "free on request"
	if price.Sign() > 0 {
		access = FormatEther(price) + " ETH per access, paid into escrow"
	}
	visibility := "private (only key holders can read its description)"
	if job.Public {
		visibility = "public description; the data stays encrypted"
	}
	return fmt.Sprintf("%s, %s; access %s", FormatSize(job.Size), visibility, access)
}

// findPublished looks on chain for a publish of this job that was sent without being journaled
// (a phone wallet sends the transaction itself; the app may have stopped before the wallet's
// answer came back), so that a resumed publish never registers the dataset twice. It searches
// the job owner's events from the block the job started at.
func (s *Service) findPublished(ctx context.Context, job *index.Job) (*types.Receipt, error) {
	mc, err := cid.Decode(job.MetadataCID)
	if err != nil {
		return nil, err
	}
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	from := max(job.StartBlock, s.fromBlk)
	if from > head {
		from = s.fromBlk // the chain lost blocks: the publish may be in a re-made one
	}
	owner := common.HexToAddress(job.Owner)
	evs, err := s.chain.PublishedEvents(ctx, &owner, from, head)
	if err != nil {
		return nil, fmt.Errorf("look for an earlier publish of %s: %w", job.Name, err)
	}
	for _, e := range evs {
		if bytes.Equal(e.Value.MetadataCid, mc.Bytes()) {
			cctx, cancel := chainCtx(ctx)
			defer cancel()
			r, err := s.chain.Eth().TransactionReceipt(cctx, e.TxHash)
			if err != nil {
				return nil, fmt.Errorf("look for an earlier publish of %s: receipt of %s: %w", job.Name, e.TxHash.Hex(), err)
			}
			return r, nil
		}
	}
	return nil, nil
}

// jobJournal records a job's signed transaction before it is sent.
type jobJournal struct {
	s   *Service
	job *index.Job
	p   Progress
}

func (j *jobJournal) SaveSigned(ctx context.Context, hash common.Hash, raw []byte) error {
	if j.job.Stage == index.JobSigned && j.job.TxHash != "" && j.job.TxHash != hash.Hex() {
		// Signed again (higher fees, or another nonce): the earlier one may still be mined.
		j.job.EarlierTxs = append(j.job.EarlierTxs, j.job.TxHash)
	}
	j.job.TxHash, j.job.RawTx, j.job.Stage = hash.Hex(), raw, index.JobSigned
	if err := j.s.index.PutJob(ctx, j.job); err != nil {
		return fmt.Errorf("journal the signed transaction: %w", err)
	}
	j.p.Stage(StageConfirm)
	return nil
}

// checkPublished verifies that a receipt records the publish of metadataCID by the account.
func (s *Service) checkPublished(metadataCID []byte) func(*types.Receipt) error {
	return func(r *types.Receipt) error {
		ev, err := s.publishedEvent(r)
		if err != nil {
			return err
		}
		if ev.Owner != s.Account() || !bytes.Equal(ev.MetadataCid, metadataCID) {
			return fmt.Errorf("its Published event is for another dataset")
		}
		return nil
	}
}

func (s *Service) publishedEvent(r *types.Receipt) (*contracts.DataSharePublished, error) {
	for _, l := range r.Logs {
		if l.Address != s.network.Contract {
			continue
		}
		if ev, err := ds.UnpackPublishedEvent(l); err == nil {
			return ev, nil
		}
	}
	return nil, fmt.Errorf("it records no Published event")
}

// confirmed records a mined publish: the job becomes confirmed and the dataset enters the index.
// For an update, see confirmedUpdate.
func (s *Service) confirmed(ctx context.Context, job *index.Job, r *types.Receipt) error {
	if job.Kind == kindUpdate {
		return s.confirmedUpdate(ctx, job, r)
	}
	ev, err := s.publishedEvent(r)
	if err != nil {
		return fmt.Errorf("transaction %s: %w", r.TxHash.Hex(), err)
	}
	job.Stage, job.DatasetID, job.Block, job.TxHash = index.JobConfirmed, ev.Id.Uint64(), r.BlockNumber.Uint64(), r.TxHash.Hex()
	job.Error = ""
	if err := s.index.PutJob(ctx, job); err != nil {
		return err
	}
	return s.index.PutDataset(ctx, s.jobIndexDataset(job, ev.Price.String(), ev.OwnerEnvelope))
}

// jobIndexDataset is the index entry of a confirmed publish job.
func (s *Service) jobIndexDataset(job *index.Job, price string, envelope []byte) index.Dataset {
	return index.Dataset{
		ID: job.DatasetID, Owner: job.Owner, Version: max(1, job.Version), MetadataCID: job.MetadataCID, Price: price,
		Envelope: envelope, TxHash: job.TxHash, Block: job.Block,
		Name: job.Name, Description: job.Description, Size: job.Size, MediaType: job.MediaType,
		SHA256: job.SHA256, PayloadCID: job.PayloadCID, Public: job.Public, CreatedAt: job.CreatedAt,
	}
}

// jobDataset is a job as the list shows it.
func (s *Service) jobDataset(j *index.Job) Dataset {
	s.jobsMu.Lock()
	running := s.running[j.ID]
	s.jobsMu.Unlock()
	status := "interrupted"
	switch {
	case j.Stage == index.JobConfirmed:
		status = "published"
	case running:
		status = "publishing"
	case j.Error != "":
		status = "failed"
	}
	d := Dataset{
		ID: j.DatasetID, Name: j.Name, Size: j.Size, MediaType: j.MediaType, SHA256: j.SHA256,
		MetadataCID: j.MetadataCID, PayloadCID: j.PayloadCID, Owner: j.Owner, Price: j.Price,
		Public: j.Public, Version: max(1, j.Version), Status: status, Error: j.Error, TxHash: j.TxHash,
		Block: j.Block, CreatedAt: j.CreatedAt,
	}
	if j.Stage != index.JobConfirmed {
		d.JobID, d.Stage = j.ID, string(j.Stage)
	}
	if j.TxHash != "" {
		d.TxURL = s.network.TxURL(j.TxHash)
	}
	return d
}

// unsign takes a job whose transaction will never be mined (replaced, or reverted) back to
// before its signing.
func unsign(j *index.Job) {
	j.Stage, j.TxHash, j.RawTx, j.EarlierTxs = index.JobMetadata, "", nil, nil
}

// track sees a signed job's transaction through (chain.Client.Track): with the device key when
// the job is the device's (a transaction stuck under a low fee is re-signed with higher fees,
// journaled first), and only looking, sending nothing, when look is set.
func (s *Service) track(ctx context.Context, j *index.Job, p Progress, look bool) (*types.Receipt, error) {
	f := chain.Follow{Look: look, Journal: &jobJournal{s: s, job: j, p: p}}
	for _, h := range j.EarlierTxs {
		f.Earlier = append(f.Earlier, common.HexToHash(h))
	}
	if s.keys != nil && strings.EqualFold(j.Owner, s.pub.device.Hex()) { // nil: read-only, and look is set
		f.Key = s.keys.DeviceKey()
	}
	if look {
		f.MaxWait = recoverWait
	}
	f.StuckAfter = stuckAfter
	return s.chain.Track(ctx, j.RawTx, f)
}

// stuckAfter is how long a journaled transaction may stay pending before it is re-signed with
// higher fees (when the device key signed it).
var stuckAfter = chain.DefaultStuckAfter

// recoverWindow is how many blocks below the head a confirmed publish is checked on start.
const recoverWindow = 256

// recoverWait bounds the look at one journaled transaction on start.
const recoverWait = 20 * time.Second

// recoverTimeout bounds the whole look on start.
const recoverTimeout = time.Minute

// startRecovery looks, in the background, at what was signed before the last stop; publishing
// and resuming wait for it to end, Close stops it.
func (s *Service) startRecovery() {
	ctx, cancel := context.WithTimeout(context.Background(), recoverTimeout)
	s.recoverStop, s.recoverDone = cancel, make(chan struct{})
	go func() {
		defer close(s.recoverDone)
		defer cancel()
		_ = s.recoverSent(ctx) // a failure changes nothing: resume looks again, and sends
	}()
}

// stopRecovery cancels the background look and waits for it.
func (s *Service) stopRecovery() {
	if s.recoverDone != nil {
		s.recoverStop()
		<-s.recoverDone
	}
}

// waitRecovered waits for the background look of Open to end.
func (s *Service) waitRecovered(ctx context.Context) error {
	if s.recoverDone == nil {
		return nil
	}
	select {
	case <-s.recoverDone:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// recoverSent learns what became of the transactions signed before the last stop, sending
// nothing (publish and resume send; ls and status must not): a mined one confirms its job, a
// replaced or reverted one takes its job back to be signed again, with the reason; one still
// pending, or dropped, is left for resume. A confirmed publish the chain lost (the embedded
// chain keeps only what it wrote at its last clean shutdown) becomes signed again, for resume to
// send. A failure to reach the chain changes nothing.
func (s *Service) recoverSent(ctx context.Context) error {
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return err
	}
	// Only what is recent enough to change: a profile with many publishes reads a few of them.
	jobs, err := s.index.RecentJobs(ctx, max(head, recoverWindow-1)-(recoverWindow-1))
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.jobsMu.Lock()
		busy := s.running[j.ID]
		s.jobsMu.Unlock()
		if busy {
			continue
		}
		if j.Stage == index.JobConfirmed {
			if j.Block+recoverWindow <= head || len(j.RawTx) == 0 {
				continue // deep enough (a chain that lost blocks lost its newest ones), or sent by a wallet
			}
			cctx, cancel := chainCtx(ctx)
			_, err := s.chain.Eth().TransactionReceipt(cctx, common.HexToHash(j.TxHash))
			cancel()
			if !errors.Is(err, ethereum.NotFound) {
				continue // on chain, or the chain cannot tell now: never demote on a transient error
			}
			j.Stage, j.Error = index.JobSigned, "the chain lost this publish (it stopped without a clean shutdown): resume sends the same transaction again"
			if err := s.index.PutJob(ctx, j); err != nil {
				return err
			}
			continue
		}
		r, err := s.track(ctx, j, NoProgress{}, true)
		switch {
		case err == nil:
			if err := s.confirmed(ctx, j, r); err != nil {
				return err
			}
		case errors.Is(err, chain.ErrReplaced), errors.Is(err, chain.ErrTxFailed):
			unsign(j)
			j.Error = err.Error()
			if err := s.index.PutJob(ctx, j); err != nil {
				return err
			}
		}
	}
	return nil
}

// progressReader counts bytes for progress and stops promptly when ctx is canceled.
type progressReader struct {
	ctx   context.Context
	r     io.Reader
	n     int64
	total int64
	p     Progress
}

func (r *progressReader) Read(b []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := r.r.Read(b)
	r.n += int64(n)
	r.p.Bytes(r.n, r.total)
	return n, err
}

// detectMediaType guesses a media type from the name, else from the first bytes.
func detectMediaType(path string, br *bufio.Reader) string {
	if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
		return t
	}
	head, _ := br.Peek(512)
	return http.DetectContentType(head)
}
