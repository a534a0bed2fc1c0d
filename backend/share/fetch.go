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

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/seal"
)

// ErrNoAccess is returned when the account holds no key for a dataset.
var ErrNoAccess = errors.New("no access")

// maxMetadataRead bounds what is read of a metadata document before it is parsed.
const maxMetadataRead = seal.MaxMetadataSize + 4096

// Fetch downloads dataset id, decrypts it, verifies it against the published SHA-256 and writes
// it atomically to outPath (a file path, or an existing directory to write into under the
// dataset's name). Nothing is written unless the whole file verified.
func (s *Service) Fetch(ctx context.Context, id uint64, outPath string, p Progress) (FetchResult, error) {
	if p == nil {
		p = NoProgress{}
	}
	p.Stage(StageLocate)
	key, metaCID, err := s.datasetKey(ctx, id)
	if err != nil {
		return FetchResult{}, err
	}
	m, err := s.readMetadata(ctx, metaCID, key)
	if err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	target, err := targetPath(outPath, m.Name)
	if err != nil {
		return FetchResult{}, err
	}
	s.dialProviders(ctx, m.Providers)

	payload, err := cid.Decode(m.Payload)
	if err != nil {
		return FetchResult{}, err
	}
	p.Stage(StageDownload)
	est := encryptedSize(m.Size)
	err = s.ipfs.Fetch(ctx, payload, fmt.Sprintf("datashare dataset %d", id), func(blocks int) {
		p.Bytes(min(int64(blocks)*blockSize, est), est)
	})
	if err != nil {
		return FetchResult{}, fmt.Errorf("download dataset %d from IPFS: %w", id, err)
	}
	r, _, err := s.ipfs.Open(ctx, payload)
	if err != nil {
		return FetchResult{}, fmt.Errorf("read dataset %d from IPFS: %w", id, err)
	}
	defer r.Close()

	p.Stage(StageDecrypt)
	plain, err := seal.Decrypt(r, key)
	if err != nil {
		return FetchResult{}, fmt.Errorf("decrypt dataset %d: %w", id, err)
	}
	sum, n, err := writeAtomic(target, &progressReader{ctx: ctx, r: plain, total: m.Size, p: p}, m)
	if err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	p.Stage(StageDone)
	return FetchResult{Path: target, Name: m.Name, Size: n, SHA256: sum}, nil
}

// datasetKey finds the envelope that gives this account the key of the dataset's current
// version (its own as owner, or a grant), and opens it.
func (s *Service) datasetKey(ctx context.Context, id uint64) (*seal.DatasetKey, cid.Cid, error) {
	info, err := s.chain.Dataset(ctx, id)
	if err != nil {
		if errors.Is(err, chain.ErrNotFound) {
			return nil, cid.Undef, notFound(fmt.Sprintf("dataset %d does not exist on %s", id, s.network.Title))
		}
		return nil, cid.Undef, fmt.Errorf("look up dataset %d: %w", id, err)
	}
	head, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return nil, cid.Undef, err
	}
	// The metadata CID and the owner's envelope of the latest version.
	owner := info.Owner
	pubs, err := s.chain.PublishedEvents(ctx, &owner, s.fromBlk, head)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("read dataset %d from the chain: %w", id, err)
	}
	var metaCID []byte
	var ownerEnv []byte
	for _, e := range pubs {
		if e.Value.Id.Uint64() == id {
			metaCID, ownerEnv = e.Value.MetadataCid, e.Value.OwnerEnvelope
		}
	}
	if metaCID == nil {
		return nil, cid.Undef, fmt.Errorf("dataset %d: its Published event is not on the chain", id)
	}
	ups, err := s.chain.UpdatedEvents(ctx, &id, s.fromBlk, head)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("read dataset %d from the chain: %w", id, err)
	}
	for _, e := range ups {
		metaCID, ownerEnv = e.Value.MetadataCid, e.Value.OwnerEnvelope
	}
	mc, err := cid.Cast(metaCID)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("dataset %d has an invalid metadata CID: %w", id, err)
	}

	envelope := ownerEnv
	me := s.Account()
	if !s.isMine(ctx, owner) { // the owner's envelope is sealed to this profile's identity, whichever of its accounts owns it
		envelope = nil
		grants, err := s.chain.GrantedEvents(ctx, &id, &me, s.fromBlk, head)
		if err != nil {
			return nil, cid.Undef, fmt.Errorf("read grants of dataset %d: %w", id, err)
		}
		for _, g := range grants {
			if g.Value.Version == info.Version {
				envelope = g.Value.Envelope
			}
		}
		if envelope == nil {
			return nil, cid.Undef, fmt.Errorf("dataset %d belongs to %s and %s has %w to its current version: request access from its owner",
				id, owner.Hex(), me.Hex(), ErrNoAccess)
		}
	}
	key, err := seal.OpenKey(envelope, s.keys.Identity())
	if errors.Is(err, seal.ErrWrongKey) {
		return nil, cid.Undef, fmt.Errorf("the key of dataset %d was sealed for a different encryption key than this profile's: restore your key backup (datashare keys import)", id)
	}
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("open the key of dataset %d: %w", id, err)
	}
	return key, mc, nil
}

// readMetadata fetches, decrypts and checks a metadata document.
func (s *Service) readMetadata(ctx context.Context, c cid.Cid, key *seal.DatasetKey) (Metadata, error) {
	if err := s.ipfs.Fetch(ctx, c, "datashare metadata "+c.String(), nil); err != nil {
		return Metadata{}, fmt.Errorf("download its metadata from IPFS: %w", err)
	}
	r, _, err := s.ipfs.Open(ctx, c)
	if err != nil {
		return Metadata{}, fmt.Errorf("read its metadata from IPFS: %w", err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxMetadataRead+1))
	if err != nil {
		return Metadata{}, fmt.Errorf("read its metadata from IPFS: %w", err)
	}
	if len(b) > maxMetadataRead {
		return Metadata{}, fmt.Errorf("its metadata is larger than %d bytes", maxMetadataRead)
	}
	return decodeMetadata(b, key)
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
func targetPath(outPath, name string) (string, error) {
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
	if fi, err := os.Stat(abs); err == nil && !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s exists and is not a regular file", abs)
	}
	return abs, nil
}

// writeAtomic writes r to a temporary file next to target, checks size and SHA-256 against the
// metadata, and only then renames it over target.
func writeAtomic(target string, r io.Reader, m Metadata) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.part")
	if err != nil {
		return "", 0, fmt.Errorf("create the output file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
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
	if err := os.Rename(tmp.Name(), target); err != nil {
		return "", n, fmt.Errorf("write %s: %w", target, err)
	}
	if d, err := os.Open(filepath.Dir(target)); err == nil {
		d.Sync()
		d.Close()
	}
	return sum, n, nil
}

// blockSize is the UnixFS chunk size used when adding; progress of a download counts blocks.
const blockSize = 256 << 10

// encryptedSize estimates the size of an age payload for size plaintext bytes (64 KiB chunks,
// a 16-byte tag each, and a header of about 200 bytes).
func encryptedSize(size int64) int64 {
	return size + 16*(size/(64<<10)+1) + 200
}
