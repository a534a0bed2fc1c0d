package share_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/contracts"
)

func reject(context.Context, approval.Summary) (bool, error) { return false, nil }

func refuseToAsk(context.Context, approval.Summary) (bool, error) {
	return false, errors.New("asked to approve")
}

// deviceKey is the profile's device key.
func deviceKey(t *testing.T, dir string) *ecdsa.PrivateKey {
	t.Helper()
	k, err := keys.Open(t.Context(), keys.Options{DataDir: dir, Passphrase: pass, NoKeyring: true})
	if err != nil {
		t.Fatal(err)
	}
	return k.DeviceKey()
}

// editJobs changes the journal of a closed profile: fn gets every job, oldest first, and the
// jobs are written back.
func editJobs(t *testing.T, dir string, fn func(jobs []*index.Job)) {
	t.Helper()
	db, err := index.Open(indexPath(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	jobs, err := db.Jobs(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	fn(jobs)
	for _, j := range jobs {
		if err := db.PutJob(t.Context(), j); err != nil {
			t.Fatal(err)
		}
	}
}

// jobNamed returns the one unfinished job of that name.
func jobNamed(t *testing.T, s *share.Service, name string) share.Dataset {
	t.Helper()
	jobs, err := s.Jobs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q in %+v", name, jobs)
	return share.Dataset{}
}

// pinned reports whether a pin of this job's payload (or metadata) is present.
func pinned(t *testing.T, s *share.Service, jobID string) []string {
	t.Helper()
	pins, err := s.Pins(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range pins {
		if strings.HasSuffix(p.Name, " "+jobID) {
			out = append(out, p.Name)
		}
	}
	return out
}

// signPublish signs (without sending) the publish transaction of a job's metadata from key.
func signPublish(t *testing.T, s *share.Service, key *ecdsa.PrivateKey, nonce uint64, tip, feeCap *big.Int, metadataCID string, envelope []byte) (*types.Transaction, []byte) {
	t.Helper()
	mc, err := cid.Decode(metadataCID)
	if err != nil {
		t.Fatal(err)
	}
	n := s.Network()
	to := n.Contract
	id := new(big.Int).SetUint64(n.ChainID)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(id), &types.DynamicFeeTx{
		ChainID: id, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 500_000, To: &to,
		Data: contracts.NewDataShare().PackPublish(mc.Bytes(), new(big.Int), envelope),
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return tx, raw
}

func ethClient(t *testing.T, s *share.Service) *ethclient.Client {
	t.Helper()
	ec, err := ethclient.DialContext(t.Context(), s.Network().RPCURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ec.Close)
	return ec
}

func pendingNonce(t *testing.T, s *share.Service, a common.Address) uint64 {
	t.Helper()
	n, err := ethClient(t, s).PendingNonceAt(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	gwei    = big.NewInt(params.GWei)
	highFee = big.NewInt(100 * params.GWei)
)

// TestJobsInterruptedAndDiscard: an unfinished publish that is not running shows as interrupted
// (not publishing); discarding it drops it and unpins its payload and metadata; an unknown ID is
// not found.
func TestJobsInterruptedAndDiscard(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeRandom(t, 20_000)
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	if _, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil); !errors.Is(err, approval.ErrRejected) {
		t.Fatalf("publish = %v", err)
	}
	s.Close()
	editJobs(t, dir, func(jobs []*index.Job) { jobs[0].Error = "" }) // as after a crash

	s = open(t, share.Config{DataDir: dir, Confirm: reject})
	j := jobNamed(t, s, "data-20000.bin")
	if j.Status != "interrupted" || j.Stage != "metadata" || j.JobID == "" || j.Error != "" {
		t.Fatalf("job = %+v", j)
	}
	list, err := s.List(t.Context())
	if err != nil || len(list) != 1 || list[0].Status != "interrupted" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if p := pinned(t, s, j.JobID); len(p) != 2 {
		t.Fatalf("pins of the job before discarding: %v", p)
	}
	if err := s.DiscardJob(t.Context(), "0123456789abcdef"); !errors.Is(err, share.ErrNotFound) || !strings.Contains(err.Error(), "datashare jobs") {
		t.Fatalf("discard of an unknown job = %v", err)
	}
	if err := s.DiscardJob(t.Context(), j.JobID); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := s.Jobs(t.Context()); len(jobs) != 0 {
		t.Fatalf("jobs after discarding = %+v", jobs)
	}
	if p := pinned(t, s, j.JobID); len(p) != 0 {
		t.Fatalf("still pinned after discarding: %v", p)
	}
}

// TestOpenAndListNeverSend: a journaled transaction that was signed but never sent stays unsent
// through Open and List (read-only); a publish with other options refuses to drop the job, and
// resume sends it.
func TestOpenAndListNeverSend(t *testing.T) {
	dir := t.TempDir()
	path, data := writeRandom(t, 30_000)
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	key := deviceKey(t, dir)
	device := crypto.PubkeyToAddress(key.PublicKey)
	nonce := pendingNonce(t, s, device)
	j := jobNamed(t, s, "data-30000.bin")
	var tx *types.Transaction
	var raw []byte
	s.Close()
	editJobs(t, dir, func(jobs []*index.Job) {
		tx, raw = signPublish(t, s, key, nonce, gwei, highFee, jobs[0].MetadataCID, jobs[0].KeyEnvelope)
		jobs[0].Stage, jobs[0].RawTx, jobs[0].TxHash, jobs[0].Error = index.JobSigned, raw, tx.Hash().Hex(), ""
	})

	s = open(t, share.Config{DataDir: dir, Confirm: refuseToAsk})
	if _, err := s.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRecovered(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := pendingNonce(t, s, device); n != nonce {
		t.Fatalf("opening and listing sent a transaction: pending nonce %d → %d", nonce, n)
	}
	if got := jobNamed(t, s, j.Name); got.Stage != "signed" || got.Status != "interrupted" {
		t.Fatalf("job after open = %+v", got)
	}

	// Other options: the job's transaction may be on chain, so it is kept and the publish refused.
	_, err := s.Publish(t.Context(), path, share.PublishOptions{Name: "renamed"}, nil)
	if !errors.Is(err, share.ErrOnChain) || !strings.Contains(err.Error(), "datashare jobs") || !strings.Contains(err.Error(), j.JobID) {
		t.Fatalf("publish with other options = %v", err)
	}
	if err := s.DiscardJob(t.Context(), j.JobID); !errors.Is(err, share.ErrOnChain) {
		t.Fatalf("discard of a signed job = %v", err)
	}
	if n := pendingNonce(t, s, device); n != nonce {
		t.Fatalf("the refused publish sent a transaction: pending nonce %d → %d", nonce, n)
	}

	out, err := s.Resume(t.Context(), nil)
	if err != nil || len(out) != 1 || out[0].Err != nil || out[0].Job.ID != 1 || out[0].Job.TxHash != tx.Hash().Hex() {
		t.Fatalf("resume = %+v, %v", out, err)
	}
	fetchEqual(t, s, 1, data)
}

// TestReplacedJournaledTx: a journaled transaction whose nonce another transaction used is
// found on open (without sending anything) and the job goes back to be signed again, failed
// with the reason; resuming it publishes.
func TestReplacedJournaledTx(t *testing.T) {
	dir := t.TempDir()
	pathA, dataA := writeRandom(t, 40_000)
	pathB, _ := writeRandom(t, 41_000)
	approve := true
	s := open(t, share.Config{DataDir: dir, Confirm: func(context.Context, approval.Summary) (bool, error) { return approve, nil }})
	approve = false
	s.Publish(t.Context(), pathA, share.PublishOptions{}, nil)
	key := deviceKey(t, dir)
	nonce := pendingNonce(t, s, crypto.PubkeyToAddress(key.PublicKey))
	approve = true
	if _, err := s.Publish(t.Context(), pathB, share.PublishOptions{}, nil); err != nil { // uses the nonce
		t.Fatal(err)
	}
	s.Close()
	editJobs(t, dir, func(jobs []*index.Job) {
		for _, j := range jobs {
			if j.Stage == index.JobMetadata {
				tx, raw := signPublish(t, s, key, nonce, gwei, highFee, j.MetadataCID, j.KeyEnvelope)
				j.Stage, j.RawTx, j.TxHash, j.Error = index.JobSigned, raw, tx.Hash().Hex(), ""
			}
		}
	})

	s = open(t, share.Config{DataDir: dir})
	if err := s.WaitRecovered(t.Context()); err != nil {
		t.Fatal(err)
	}
	j := jobNamed(t, s, "data-40000.bin")
	if j.Status != "failed" || j.Stage != "metadata" || !strings.Contains(j.Error, "another transaction") {
		t.Fatalf("replaced job = %+v", j)
	}
	d, err := s.ResumeJob(t.Context(), j.JobID, nil)
	if err != nil || d.ID != 2 || d.Status != "published" {
		t.Fatalf("resume = %+v, %v", d, err)
	}
	fetchEqual(t, s, 2, dataA)
}

// TestStuckJournaledTx: a journaled transaction stuck in the pool under a fee the chain never
// takes does not hold up Open; resuming signs it again with higher fees and publishes.
func TestStuckJournaledTx(t *testing.T) {
	defer share.SetStuckAfter(300 * time.Millisecond)()
	dir := t.TempDir()
	path, data := writeRandom(t, 50_000)
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	key := deviceKey(t, dir)
	nonce := pendingNonce(t, s, crypto.PubkeyToAddress(key.PublicKey))
	s.Close()
	var stuck *types.Transaction
	editJobs(t, dir, func(jobs []*index.Job) {
		var raw []byte
		stuck, raw = signPublish(t, s, key, nonce, big.NewInt(1), big.NewInt(1), jobs[0].MetadataCID, jobs[0].KeyEnvelope)
		jobs[0].Stage, jobs[0].RawTx, jobs[0].TxHash, jobs[0].Error = index.JobSigned, raw, stuck.Hash().Hex(), ""
	})

	s = open(t, share.Config{DataDir: dir})
	if err := ethClient(t, s).SendTransaction(t.Context(), stuck); err != nil { // in the pool, never mined
		t.Fatal(err)
	}
	s.Close()
	start := time.Now()
	s = open(t, share.Config{DataDir: dir, Confirm: refuseToAsk})
	// Not a timing target: before, Open waited for the stuck transaction without a bound (it
	// hung until the test timed out); now the recovery runs in the background. Two minutes
	// leave room for the race detector on a loaded machine.
	if d := time.Since(start); d > 2*time.Minute {
		t.Fatalf("opening took %v with a stuck transaction", d)
	}
	if _, err := s.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	out, err := s.Resume(ctx, nil)
	if err != nil || len(out) != 1 || out[0].Err != nil || out[0].Job.ID != 1 || out[0].Job.TxHash == stuck.Hash().Hex() {
		t.Fatalf("resume = %+v, %v (stuck %s)", out, err, stuck.Hash().Hex())
	}
	fetchEqual(t, s, 1, data)
}

// TestResumeGoesPastFailure: resume tries every unfinished publish, oldest first, and reports
// each one's outcome.
func TestResumeGoesPastFailure(t *testing.T) {
	dir := t.TempDir()
	pathA, _ := writeRandom(t, 60_000)
	pathB, dataB := writeRandom(t, 61_000)
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	s.Publish(t.Context(), pathA, share.PublishOptions{}, nil)
	s.Publish(t.Context(), pathB, share.PublishOptions{}, nil)
	s.Close()
	if err := os.Remove(pathA); err != nil {
		t.Fatal(err)
	}
	editJobs(t, dir, func(jobs []*index.Job) { jobs[0].Stage = index.JobCreated }) // A must be read again

	s = open(t, share.Config{DataDir: dir})
	out, err := s.Resume(t.Context(), nil)
	if err != nil || len(out) != 2 {
		t.Fatalf("resume = %+v, %v", out, err)
	}
	if out[0].Job.Name != "data-60000.bin" || out[0].Err == nil || !strings.Contains(out[0].Err.Error(), "no such file") {
		t.Fatalf("first outcome = %+v", out[0])
	}
	if out[1].Job.Name != "data-61000.bin" || out[1].Err != nil || out[1].Job.ID != 1 {
		t.Fatalf("second outcome = %+v", out[1])
	}
	if j := jobNamed(t, s, "data-60000.bin"); j.Status != "failed" {
		t.Fatalf("failed job = %+v", j)
	}
	fetchEqual(t, s, 1, dataB)
}

// TestPublishAgainWithOtherOptions: publishing a file again with another price starts a new
// publish and drops (and unpins) the one that never reached the chain; the dataset has the new
// price.
func TestPublishAgainWithOtherOptions(t *testing.T) {
	approve := false
	s := open(t, share.Config{Confirm: func(context.Context, approval.Summary) (bool, error) { return approve, nil }})
	path, _ := writeRandom(t, 70_000)
	s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	old := jobNamed(t, s, "data-70000.bin")
	approve = true
	d, err := s.Publish(t.Context(), path, share.PublishOptions{Price: big.NewInt(5)}, nil)
	if err != nil || d.Price != "5" || d.ID != 1 {
		t.Fatalf("publish with another price = %+v, %v", d, err)
	}
	if jobs, _ := s.Jobs(t.Context()); len(jobs) != 0 {
		t.Fatalf("jobs left = %+v", jobs)
	}
	if p := pinned(t, s, old.JobID); len(p) != 0 {
		t.Fatalf("the superseded publish is still pinned: %v", p)
	}
	if d.MetadataCID == old.MetadataCID {
		t.Fatalf("the new publish reused the old metadata %s", old.MetadataCID)
	}
}

// changeOnce rewrites the file in the middle of the upload.
type changeOnce struct {
	path string
	done bool
	t    *testing.T
}

func (c *changeOnce) Stage(share.Stage) {}
func (c *changeOnce) Bytes(done, total int64) {
	if !c.done && total > 0 && done > total/2 {
		c.done = true
		if err := os.WriteFile(c.path, []byte("changed"), 0o644); err != nil {
			c.t.Error(err)
		}
	}
}

// TestAbortedAddUnpins: a payload added to IPFS but not recorded (the file changed during the
// upload) is unpinned.
func TestAbortedAddUnpins(t *testing.T) {
	s := open(t, share.Config{})
	path, _ := writeRandom(t, 4<<20)
	_, err := s.Publish(t.Context(), path, share.PublishOptions{}, &changeOnce{path: path, t: t})
	if err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("publish of a changing file = %v", err)
	}
	j := jobNamed(t, s, "data-4194304.bin")
	if p := pinned(t, s, j.JobID); len(p) != 0 {
		t.Fatalf("pinned after the aborted add: %v", p)
	}
}

// TestResumeFindsOtherOwnersPublish: the publish of a job started by another account (a phone
// wallet since unpaired) that reached the chain is found by the job's owner, without asking
// anyone to approve a second one.
func TestResumeFindsOtherOwnersPublish(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeRandom(t, 80_000)
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	s.Publish(t.Context(), path, share.PublishOptions{}, nil)
	other, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	owner := crypto.PubkeyToAddress(other.PublicKey)
	devnettest.Fund(t, s.Network().RPCURL, owner, big.NewInt(params.Ether))
	s.Close()
	var metadataCID string
	var envelope []byte
	editJobs(t, dir, func(jobs []*index.Job) {
		jobs[0].Owner = owner.Hex()
		metadataCID, envelope = jobs[0].MetadataCID, jobs[0].KeyEnvelope
	})

	s = open(t, share.Config{DataDir: dir, Confirm: refuseToAsk})
	n := s.Network()
	c, err := chain.Dial(t.Context(), n.RPCURL, n.ChainID, n.Contract)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mc, _ := cid.Decode(metadataCID)
	r, err := c.SignAndSend(t.Context(), other, chain.Tx{To: n.Contract, Data: contracts.NewDataShare().PackPublish(mc.Bytes(), new(big.Int), envelope)}, chain.Estimate{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	j := jobNamed(t, s, "data-80000.bin")
	d, err := s.ResumeJob(t.Context(), j.JobID, nil)
	if err != nil || d.ID != 1 || d.Owner != owner.Hex() || d.TxHash != r.TxHash.Hex() {
		t.Fatalf("resume = %+v, %v", d, err)
	}
}

// TestDiscardFolderJob: discarding an unfinished folder publish also unpins its file list, which
// the job does not record (only its metadata points to it).
func TestDiscardFolderJob(t *testing.T) {
	dir := t.TempDir()
	root := makeTree(t, 30, []int64{10_000})
	s := open(t, share.Config{DataDir: dir, Confirm: reject})
	if _, err := s.Publish(t.Context(), root, share.PublishOptions{}, nil); !errors.Is(err, approval.ErrRejected) {
		t.Fatalf("publish = %v", err)
	}
	j := jobNamed(t, s, filepath.Base(root))
	p := pinned(t, s, j.JobID)
	slices.Sort(p)
	want := []string{"datashare listing " + j.JobID, "datashare metadata " + j.JobID, "datashare payload " + j.JobID}
	if !slices.Equal(p, want) {
		t.Fatalf("pins of the folder job before discarding = %q, want %q", p, want)
	}
	if err := s.DiscardJob(t.Context(), j.JobID); err != nil {
		t.Fatal(err)
	}
	if p := pinned(t, s, j.JobID); len(p) != 0 {
		t.Fatalf("still pinned after discarding: %v", p)
	}
}
