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
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/approval"
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
// Publishing a file that has an unfinished publish (interrupted, rejected or failed) continues
// that publish with the same dataset key instead of starting a second one.
func (s *Service) Publish(ctx context.Context, path string, opts PublishOptions, p Progress) (Dataset, error) {
	if p == nil {
		p = NoProgress{}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Dataset{}, err
	}
	fi, err := fileInfo(abs)
	if err != nil {
		return Dataset{}, err
	}
	job, err := s.resumable(ctx, abs, fi)
	if err != nil {
		return Dataset{}, err
	}
	if job == nil {
		if job, err = s.newJob(ctx, abs, fi, opts); err != nil {
			return Dataset{}, err
		}
	}
	return s.run(ctx, job, p)
}

// Resume continues every unfinished publish of the account, oldest first, and returns the
// datasets it confirmed. It stops at the first failure.
func (s *Service) Resume(ctx context.Context, p Progress) ([]Dataset, error) {
	if p == nil {
		p = NoProgress{}
	}
	jobs, err := s.index.Jobs(ctx, s.Account().Hex(), index.Unfinished...)
	if err != nil {
		return nil, err
	}
	var done []Dataset
	for _, j := range jobs {
		d, err := s.run(ctx, j, p)
		if err != nil {
			return done, fmt.Errorf("resume publishing %s: %w", j.Name, err)
		}
		done = append(done, d)
	}
	return done, nil
}

// resumable finds an unfinished publish of the same, unchanged file.
func (s *Service) resumable(ctx context.Context, path string, fi os.FileInfo) (*index.Job, error) {
	jobs, err := s.index.Jobs(ctx, s.Account().Hex(), index.Unfinished...)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.Path == path && j.ModTime.Equal(fi.ModTime()) && (j.Size < 0 || j.Size == fi.Size()) {
			return j, nil
		}
	}
	return nil, nil
}

func (s *Service) newJob(ctx context.Context, path string, fi os.FileInfo, opts PublishOptions) (*index.Job, error) {
	name := strings.TrimSpace(opts.Name)
	if name == "" {
		name = filepath.Base(path)
	}
	if !utf8.ValidString(name) || len(name) > 200 {
		return nil, fmt.Errorf("the name must be valid text of at most 200 bytes")
	}
	price := opts.Price
	if price == nil {
		price = new(big.Int)
	}
	if price.Sign() < 0 {
		return nil, fmt.Errorf("the price cannot be negative")
	}
	if price.Cmp(maxPrice) > 0 {
		return nil, fmt.Errorf("the price is too high (at most %s wei)", maxPrice)
	}
	key, err := seal.NewDatasetKey()
	if err != nil {
		return nil, err
	}
	envelope, err := seal.SealKey(key, s.keys.EncryptionKey())
	if err != nil {
		return nil, err
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	job := &index.Job{
		ID: hex.EncodeToString(id[:]), Kind: "publish", Stage: index.JobCreated,
		Path: path, ModTime: fi.ModTime(), Name: name, Description: opts.Description,
		Price: price.String(), Public: opts.Public, MediaType: opts.MediaType,
		Owner: s.Account().Hex(), KeyEnvelope: envelope, Size: -1,
	}
	if err := s.index.PutJob(ctx, job); err != nil {
		return nil, fmt.Errorf("record the publish: %w", err)
	}
	return job, nil
}

// run takes a job from its stage to confirmed.
func (s *Service) run(ctx context.Context, job *index.Job, p Progress) (d Dataset, err error) {
	s.jobsMu.Lock()
	if s.running[job.ID] {
		s.jobsMu.Unlock()
		return Dataset{}, ErrBusy
	}
	s.running[job.ID] = true
	s.jobsMu.Unlock()
	defer func() {
		s.jobsMu.Lock()
		delete(s.running, job.ID)
		s.jobsMu.Unlock()
		if err != nil && job.Stage != index.JobConfirmed {
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

	key, err := seal.OpenKey(job.KeyEnvelope, s.keys.Identity())
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
			if rcpt, err = s.submit(ctx, job, p); err != nil {
				return Dataset{}, err
			}
		}
	case index.JobSigned:
		p.Stage(StageConfirm)
		if rcpt, err = s.chain.Resubmit(ctx, job.RawTx); err != nil {
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
	if err != nil {
		return err
	}
	if src.n != before.Size() || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return fmt.Errorf("%s changed while it was being published: try again when it is complete", job.Path)
	}
	job.PayloadCID, job.Size, job.SHA256 = c.String(), src.n, hex.EncodeToString(h.Sum(nil))
	job.Stage = index.JobPayload
	return s.index.PutJob(ctx, job)
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
		Providers: []Provider{{PeerID: s.ipfs.PeerID(), Addrs: addrs}},
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
	return s.index.PutJob(ctx, job)
}

// submit asks for approval of the publish transaction; the signed transaction is journaled
// before it is sent.
func (s *Service) submit(ctx context.Context, job *index.Job, p Progress) (*types.Receipt, error) {
	mc, err := cid.Decode(job.MetadataCID)
	if err != nil {
		return nil, err
	}
	price, _ := new(big.Int).SetString(job.Price, 10)
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

// recentBlocks bounds the search for an earlier attempt of a publish.
const recentBlocks = 50_000

// findPublished looks on chain for a publish of this job that was sent without being journaled
// (a phone wallet sends the transaction itself; the app may have stopped before the wallet's
// answer came back), so that a resumed publish never registers the dataset twice.
func (s *Service) findPublished(ctx context.Context, job *index.Job) (*types.Receipt, error) {
	mc, err := cid.Decode(job.MetadataCID)
	if err != nil {
		return nil, err
	}
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	from := s.fromBlk
	if head > recentBlocks && head-recentBlocks > from {
		from = head - recentBlocks
	}
	owner := s.Account()
	evs, err := s.chain.PublishedEvents(ctx, &owner, from, head)
	if err != nil {
		return nil, fmt.Errorf("look for an earlier publish of %s: %w", job.Name, err)
	}
	for _, e := range evs {
		if bytes.Equal(e.Value.MetadataCid, mc.Bytes()) {
			return s.chain.Eth().TransactionReceipt(ctx, e.TxHash)
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
func (s *Service) confirmed(ctx context.Context, job *index.Job, r *types.Receipt) error {
	ev, err := s.publishedEvent(r)
	if err != nil {
		return fmt.Errorf("transaction %s: %w", r.TxHash.Hex(), err)
	}
	job.Stage, job.DatasetID, job.Block, job.TxHash = index.JobConfirmed, ev.Id.Uint64(), r.BlockNumber.Uint64(), r.TxHash.Hex()
	if err := s.index.PutJob(ctx, job); err != nil {
		return err
	}
	return s.index.PutDataset(ctx, s.jobIndexDataset(job, ev.Price.String(), ev.OwnerEnvelope))
}

// jobIndexDataset is the index entry of a confirmed publish job.
func (s *Service) jobIndexDataset(job *index.Job, price string, envelope []byte) index.Dataset {
	return index.Dataset{
		ID: job.DatasetID, Owner: job.Owner, Version: 1, MetadataCID: job.MetadataCID, Price: price,
		Envelope: envelope, TxHash: job.TxHash, Block: job.Block,
		Name: job.Name, Description: job.Description, Size: job.Size, MediaType: job.MediaType,
		SHA256: job.SHA256, PayloadCID: job.PayloadCID, Public: job.Public, CreatedAt: job.CreatedAt,
	}
}

// jobDataset is a job as the list shows it.
func (s *Service) jobDataset(j *index.Job) Dataset {
	status := "publishing"
	switch {
	case j.Stage == index.JobConfirmed:
		status = "published"
	case j.Error != "":
		status = "failed"
	}
	d := Dataset{
		ID: j.DatasetID, Name: j.Name, Size: j.Size, MediaType: j.MediaType, SHA256: j.SHA256,
		MetadataCID: j.MetadataCID, PayloadCID: j.PayloadCID, Owner: j.Owner, Price: j.Price,
		Public: j.Public, Version: 1, Status: status, Error: j.Error, TxHash: j.TxHash,
		Block: j.Block, CreatedAt: j.CreatedAt,
	}
	if j.Stage != index.JobConfirmed {
		d.JobID = j.ID
	}
	if j.TxHash != "" {
		d.TxURL = s.network.TxURL(j.TxHash)
	}
	return d
}

// recoverWindow is how many blocks below the head a confirmed publish is checked on start.
const recoverWindow = 256

// recoverSent finishes what was sent before the last stop: signed transactions are re-submitted
// if the chain does not have them, and confirmed publishes the chain lost (the embedded chain
// keeps only what it wrote at its last clean shutdown) are sent again from the journal.
func (s *Service) recoverSent(ctx context.Context) error {
	jobs, err := s.index.Jobs(ctx, s.Account().Hex(), index.JobSigned, index.JobConfirmed)
	if err != nil {
		return err
	}
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if j.Stage == index.JobConfirmed {
			if j.Block+recoverWindow <= head {
				continue // deep enough: a chain that lost blocks lost its newest ones
			}
			if _, err := s.chain.Eth().TransactionReceipt(ctx, common.HexToHash(j.TxHash)); err == nil {
				continue
			}
			if len(j.RawTx) == 0 {
				continue // confirmed through a wallet: nothing to re-send; the sync will tell
			}
		}
		r, err := s.chain.Resubmit(ctx, j.RawTx)
		if err != nil {
			j.Error = err.Error()
			if j.Stage == index.JobConfirmed {
				j.Stage = index.JobSigned
			}
			if perr := s.index.PutJob(ctx, j); perr != nil {
				return perr
			}
			continue // shown as failed in the list; a later Resume retries
		}
		if err := s.confirmed(ctx, j, r); err != nil {
			return err
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
