package share

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/seal"
)

// ErrNoAccess is returned when the account holds no key for a dataset.
var ErrNoAccess = errors.New("no access")

// maxMetadataRead bounds what is read of a metadata document before it is parsed.
const maxMetadataRead = seal.MaxMetadataSize + 4096

// FetchOptions say how Fetch writes its file.
type FetchOptions struct {
	// Overwrite replaces a file that exists at the path. Off, Fetch fails with an *ExistsError
	// instead, also when the file appears while the download runs.
	Overwrite bool
	// Version is the version to fetch; 0 is the newest this profile holds a key for.
	Version uint64
	// Wait keeps waiting for a computer that holds the data (the owner's, a mirror's) until the
	// context ends. Off, Fetch gives up after a bounded wait with an error matching ErrOffline
	// (see StageWait, wait.go).
	Wait bool
	// Only, for a folder dataset, extracts these paths of its file list (a folder's path: all
	// under it); empty: the whole tree.
	Only []string
}

// ExistsError is returned by Fetch when the file it would write exists and
// FetchOptions.Overwrite is off. Nothing was written. It matches os.ErrExist.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return e.Path + " already exists: choose another path, or allow replacing it"
}
func (e *ExistsError) Is(target error) bool { return target == os.ErrExist }

// errExists is renameNoReplace's answer when the target exists.
var errExists = errors.New("target exists")

// Fetch downloads dataset id, decrypts it, verifies it against the published SHA-256 and writes
// it atomically to outPath (a file path, or an existing directory to write into under the
// dataset's name, made safe by SafeFileName). Nothing is written unless the whole file verified,
// and an existing file is replaced only with opts.Overwrite.
func (s *Service) Fetch(ctx context.Context, id uint64, outPath string, opts FetchOptions, p Progress) (FetchResult, error) {
	if err := s.writable("Fetch"); err != nil {
		return FetchResult{}, err
	}
	if p == nil {
		p = NoProgress{}
	}
	p.Stage(StageLocate)
	key, metaCID, err := s.datasetKey(ctx, id, opts.Version)
	if err != nil {
		return FetchResult{}, err
	}
	return s.fetchKeyed(ctx, id, key, metaCID, outPath, opts, p)
}

// fetchKeyed is Fetch once the dataset key and metadata of the version to fetch are known (from
// this profile's envelope, or a share link's: FetchLink).
func (s *Service) fetchKeyed(ctx context.Context, id uint64, key *seal.DatasetKey, metaCID cid.Cid, outPath string, opts FetchOptions, p Progress) (FetchResult, error) {
	s.dialLocalPeers(ctx)
	w := s.waiter(opts, p)
	if err := w.await(ctx, metaCID, nil, StageLocate); err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	m, err := s.readMetadata(ctx, metaCID, key)
	if err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	if m.Folder != nil {
		return s.fetchFolder(ctx, id, key, metaCID, m, outPath, opts, w, p)
	}
	target, err := targetPath(outPath, m.Name, opts.Overwrite)
	if err != nil {
		return FetchResult{}, err
	}
	s.dialProviders(ctx, m.Providers)

	payload, err := cid.Decode(m.Payload)
	if err != nil {
		return FetchResult{}, err
	}
	p.Stage(StageDownload)
	if err := w.await(ctx, payload, m.Providers, StageDownload); err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	limit := encryptedSize(m.Size)
	pinned, err := s.fetchPayload(ctx, id, payload, limit, p)
	if err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	unpin := func() {
		if pinned { // what failed to verify is not kept
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			_ = s.ipfs.Unpin(uctx, payload)
		}
	}
	r, size, err := s.ipfs.Open(ctx, payload)
	if err != nil {
		unpin()
		return FetchResult{}, fmt.Errorf("read dataset %d from IPFS: %w", id, err)
	}
	defer r.Close()
	if size > limit {
		unpin()
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, errTooLarge)
	}

	p.Stage(StageDecrypt)
	plain, err := seal.Decrypt(&boundedReader{r: r, left: limit}, key)
	if err != nil {
		unpin()
		return FetchResult{}, fmt.Errorf("decrypt dataset %d: %w", id, err)
	}
	// One byte more than promised is enough to tell that the data does not match.
	body := io.LimitReader(plain, m.Size+1)
	sum, n, err := writeAtomic(target, &progressReader{ctx: ctx, r: body, total: m.Size, p: p}, m, opts.Overwrite)
	if err != nil {
		var ee *ExistsError
		if !errors.As(err, &ee) {
			unpin()
		}
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	// The metadata is kept with the payload, under the same name (see Forget), unless a pin
	// holds it already (pinning again would rename that pin).
	if held, err := s.pinned(ctx, metaCID); err != nil || !held {
		if err == nil {
			err = s.ipfs.Fetch(ctx, metaCID, s.fetchedPinName(id), nil)
		}
		if err != nil {
			return FetchResult{}, fmt.Errorf("dataset %d was written to %s, but its metadata could not be pinned: %w", id, target, err)
		}
	}
	p.Stage(StageDone)
	return FetchResult{Path: target, Name: m.Name, Size: n, SHA256: sum}, nil
}

// datasetKey finds the envelope that gives this profile the key of a version of the dataset
// (0: the newest it holds a key for): the owner's of that version when one of the profile's
// accounts owns it, else the AccessGranted event of that version to one of its accounts. It
// opens it and returns the key, the version's metadata CID and the version.
func (s *Service) datasetKey(ctx context.Context, id, version uint64) (*seal.DatasetKey, cid.Cid, error) {
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return nil, cid.Undef, err
	}
	if version > info.Version {
		return nil, cid.Undef, notFound(fmt.Sprintf("dataset %d has no version %d: its newest is version %d", id, version, info.Version))
	}
	vs, err := s.versions(ctx, id)
	if err != nil {
		return nil, cid.Undef, err
	}
	envelope := []byte(nil)
	if s.isMine(ctx, info.Owner) { // the owner's envelope is sealed to this profile's identity, whichever of its accounts owns it
		if version == 0 {
			version = info.Version
		}
		envelope = vs[version].OwnerEnvelope
	} else {
		accounts, err := s.accounts(ctx)
		if err != nil {
			return nil, cid.Undef, err
		}
		held, err := s.grantedEnvelopes(ctx, id, accounts)
		if err != nil {
			return nil, cid.Undef, err
		}
		newest := uint64(0)
		for v := range held {
			newest = max(newest, v)
		}
		me := s.Account()
		switch {
		case newest == 0 && s.requestPending(ctx, id, me):
			return nil, cid.Undef, fmt.Errorf("dataset %d belongs to %s and %s has %w to it yet: its request is paid and waits for the owner's app to deliver the key (datashare request %d -o PATH waits for it, datashare requested shows when a refund is available)",
				id, info.Owner.Hex(), me.Hex(), ErrNoAccess, id)
		case newest == 0:
			return nil, cid.Undef, fmt.Errorf("dataset %d belongs to %s and %s has %w to it: request access from its owner",
				id, info.Owner.Hex(), me.Hex(), ErrNoAccess)
		case version == 0:
			version = newest
		case held[version] == nil:
			return nil, cid.Undef, fmt.Errorf("dataset %d belongs to %s and %s has %w to its version %d (it holds version %d at most): ask its owner to share it again",
				id, info.Owner.Hex(), me.Hex(), ErrNoAccess, version, newest)
		}
		envelope = held[version]
	}
	v, ok := vs[version]
	if !ok || envelope == nil {
		return nil, cid.Undef, fmt.Errorf("dataset %d: the event of its version %d is not on the chain", id, version)
	}
	key, err := s.openEnvelope(id, envelope)
	if err != nil {
		return nil, cid.Undef, err
	}
	return key, v.MetadataCID, nil
}

// grantedEnvelopes reads the envelopes granted to the accounts for dataset id, by version.
func (s *Service) grantedEnvelopes(ctx context.Context, id uint64, accounts []common.Address) (map[uint64][]byte, error) {
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"AccessGranted"}, IDs: []uint64{id}, Others: accounts}, s.fromBlk, ^uint64(0))
	if err != nil {
		return nil, fmt.Errorf("read grants of dataset %d: %w", id, err)
	}
	out := map[uint64][]byte{}
	for i := range logs {
		if g, err := ds.UnpackAccessGrantedEvent(&logs[i]); err == nil {
			out[g.Version] = g.Envelope
		}
	}
	return out, nil
}

// readMetadata reads, decrypts and checks a metadata document. It reads at most
// maxMetadataRead bytes and pins nothing: Fetch pins the document once the dataset verified.
// The other profiles on this computer are dialled first: one of them may hold it.
func (s *Service) readMetadata(ctx context.Context, c cid.Cid, key *seal.DatasetKey) (Metadata, error) {
	s.dialLocalPeers(ctx)
	r, size, err := s.ipfs.Open(ctx, c)
	if err != nil {
		return Metadata{}, fmt.Errorf("read its metadata from IPFS: %w", err)
	}
	defer r.Close()
	if size > maxMetadataRead {
		return Metadata{}, fmt.Errorf("its metadata is %d bytes, more than the %d a metadata document may have: it was not downloaded", size, maxMetadataRead)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxMetadataRead+1))
	if err != nil {
		return Metadata{}, fmt.Errorf("read its metadata from IPFS: %w", err)
	}
	if len(b) > maxMetadataRead {
		return Metadata{}, fmt.Errorf("its metadata is larger than %d bytes", maxMetadataRead)
	}
	return decodeMetadata(b, key)
}

// errTooLarge ends the fetch of a payload larger than its metadata promised.
var errTooLarge = errors.New("the data is larger than its metadata says: nothing was written")

// fetchedPinName names the pins of a fetched dataset (payload and metadata, every version), so
// that Forget finds them.
func (s *Service) fetchedPinName(id uint64) string {
	return fmt.Sprintf("datashare fetched dataset %d (chain %d, contract %s)", id, s.network.ChainID, s.network.Contract.Hex())
}

// fetchPayload makes the payload local and pins it, unless a pin holds it already (the owner's
// own payload, or an earlier fetch). Kubo's pin cannot be bounded in bytes, so the payload's
// root must declare at most limit bytes before anything is pinned, and the pin stops once it
// fetched more blocks than a file of limit bytes has. pinned says whether this call pinned it.
func (s *Service) fetchPayload(ctx context.Context, id uint64, payload cid.Cid, limit int64, p Progress) (pinned bool, err error) {
	if held, err := s.pinned(ctx, payload); err != nil || held {
		return false, err
	}
	r, size, err := s.ipfs.Open(ctx, payload) // reads the root block only
	if err != nil {
		return false, fmt.Errorf("download from IPFS: %w", err)
	}
	r.Close()
	if size > limit {
		return false, errTooLarge
	}
	maxBlocks := maxPayloadBlocks(limit)
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	err = s.ipfs.Fetch(pctx, payload, s.fetchedPinName(id), func(blocks int) {
		if blocks > maxBlocks {
			cancel(errTooLarge)
		}
		p.Bytes(min(int64(blocks)*blockSize, limit), limit)
	})
	if errors.Is(context.Cause(pctx), errTooLarge) {
		if err == nil { // the last block came with the cancel: do not keep it
			s.ipfs.Unpin(context.WithoutCancel(ctx), payload)
		}
		return false, errTooLarge
	}
	if err != nil {
		return false, fmt.Errorf("download from IPFS: %w", err)
	}
	return true, nil
}

// pinned reports whether a recursive pin holds c.
func (s *Service) pinned(ctx context.Context, c cid.Cid) (bool, error) {
	held, err := s.ipfs.HasRecursivePin(ctx, c)
	if err != nil {
		return false, fmt.Errorf("read the IPFS pins: %w", err)
	}
	return held, nil
}

// maxPayloadBlocks is how many blocks a payload of size bytes may have: its 256 KiB leaves, the
// nodes above them (174 links each), and some slack.
func maxPayloadBlocks(size int64) int {
	leaves := int(size/blockSize) + 1
	return leaves + leaves/128 + 16
}

// boundedReader fails once more than left bytes were read.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

// dialProviders connects to the peers the metadata names, so the payload does not wait for
// content routing. Failures only cost speed.
func (s *Service) dialProviders(ctx context.Context, providers []Provider) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for _, pr := range providers {
		if pr.PeerID == s.ipfs.PeerID() {
			continue
		}
		_ = s.ipfs.Connect(ctx, pr.Addrs)
	}
}

// targetPath resolves where a download goes: into outPath if it is a directory, else outPath.
// Unless overwrite, the file must not exist yet.
func targetPath(outPath, name string, overwrite bool) (string, error) {
	if outPath == "" {
		return "", fmt.Errorf("no output path given")
	}
	abs, err := filepath.Abs(outPath)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		abs = filepath.Join(abs, SafeFileName(name))
	}
	dir := filepath.Dir(abs)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", notFound(fmt.Sprintf("%s: no such directory", dir))
	case err != nil:
		return "", err
	case !fi.IsDir():
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	fi, err = os.Lstat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return "", err
	case !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s exists and is not a regular file: choose another path", abs)
	case !overwrite:
		return "", &ExistsError{Path: abs}
	}
	return abs, nil
}

// writeAtomic writes r to a temporary file next to target, checks size and SHA-256 against the
// metadata, and only then renames it to target: over an existing file only with overwrite.
func writeAtomic(target string, r io.Reader, m Metadata, overwrite bool) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.part")
	if err != nil {
		return "", 0, fmt.Errorf("create the output file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if errors.Is(err, errTooLarge) {
		tmp.Close()
		return "", n, errTooLarge
	}
	if err != nil {
		tmp.Close()
		return "", n, fmt.Errorf("download or decrypt failed after %d bytes: %w", n, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if n != m.Size || sum != m.SHA256 {
		tmp.Close()
		return "", n, fmt.Errorf("the data does not match what was published (%d bytes, SHA-256 %s; expected %d bytes, %s): nothing was written", n, sum, m.Size, m.SHA256)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", n, err
	}
	if err := tmp.Close(); err != nil {
		return "", n, err
	}
	rename := renameNoReplace
	if overwrite {
		rename = os.Rename
	}
	if err := rename(tmp.Name(), target); err != nil {
		if errors.Is(err, errExists) {
			return "", n, &ExistsError{Path: target}
		}
		return "", n, fmt.Errorf("write %s: %w", target, err)
	}
	if d, err := os.Open(filepath.Dir(target)); err == nil {
		d.Sync()
		d.Close()
	}
	return sum, n, nil
}

// linkNoReplace moves tmp to target unless target exists, with a hard link. Where the
// filesystem has no hard links (FAT, some network filesystems) it checks, then renames: a file
// created in between is replaced.
func linkNoReplace(tmp, target string) error {
	err := os.Link(tmp, target)
	switch {
	case err == nil:
		os.Remove(tmp)
		return nil
	case errors.Is(err, os.ErrExist):
		return errExists
	}
	if _, err := os.Lstat(target); err == nil {
		return errExists
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(tmp, target)
}

// blockSize is the UnixFS chunk size used when adding; progress of a download counts blocks.
const blockSize = 256 << 10

// encryptedSize estimates the size of an age payload for size plaintext bytes (64 KiB chunks,
// a 16-byte tag each, and a header of about 200 bytes).
func encryptedSize(size int64) int64 {
	return size + 16*(size/(64<<10)+1) + 200
}
