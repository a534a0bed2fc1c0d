package share

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/archive"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
)

// A folder dataset: the payload is a tar stream of the tree (package archive) encrypted like a
// file, so `age -d | tar -x` opens it; the metadata (version 2) points to a listing document —
// every file's path, size, media type and SHA-256 — stored beside it on IPFS, plain JSON for a
// public dataset, encrypted to the dataset key for a private one.

// FolderMediaType is the media type of a folder dataset.
const FolderMediaType = "inode/directory"

// ListingFormat identifies a folder's listing document.
const ListingFormat = "datashare/listing"

// maxListingSize bounds a listing document (about 300,000 files).
const maxListingSize = 64 << 20

// FolderInfo is what a folder dataset's metadata says of its listing.
type FolderInfo struct {
	Listing string `json:"listing"` // CID of the listing document
	SHA256  string `json:"sha256"`  // of the listing document as stored
	Files   int    `json:"files"`
	Bytes   int64  `json:"bytes"` // of all its files
}

// listingDoc is the listing document.
type listingDoc struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	archive.Listing
}

// FolderFile is one file of a folder dataset.
type FolderFile = archive.File

// pendingListings holds, by job, the listing an addFolderPayload computed until addMetadata
// stores it. A job resumed after a stop rebuilds it from its payload.
var pendingListings sync.Map

// checkPublishFolder checks that the folder at path can be published whole: every file and
// folder readable, every name one a downloader accepts.
func checkPublishFolder(path string, fi os.FileInfo) (os.FileInfo, error) {
	if _, err := archive.Scan(context.Background(), path); err != nil {
		return nil, invalid(err.Error())
	}
	return fi, nil
}

// isFolderJob reports whether a job publishes a folder.
func isFolderJob(job *index.Job) bool {
	if job.MediaType == FolderMediaType {
		return true
	}
	fi, err := os.Stat(job.Path)
	return job.MediaType == "" && err == nil && fi.IsDir()
}

// folderProgress passes an archive's progress on as bytes of file content.
type folderProgress struct {
	ctx context.Context
	p   Progress
}

func (f folderProgress) Progress(files, totalFiles int, n, total int64) {
	if fp, ok := f.p.(FilesProgress); ok {
		fp.Files(files, totalFiles)
	}
	f.p.Bytes(n, total)
}

// FilesProgress is implemented by a Progress that also shows files done (folder datasets).
type FilesProgress interface {
	Files(done, total int)
}

// addFolderPayload archives, hashes, encrypts and adds the folder to IPFS in one streaming pass.
func (s *Service) addFolderPayload(ctx context.Context, job *index.Job, key *seal.DatasetKey, p Progress) error {
	plan, err := archive.Scan(ctx, job.Path)
	if err != nil {
		return invalid(err.Error())
	}
	job.MediaType = FolderMediaType
	p.Stage(StageEncrypt)
	h := sha256.New()
	cw := &countWriter{}
	pr, pw := io.Pipe()
	var listing archive.Listing
	done := make(chan error, 1)
	go func() {
		w, err := seal.Encrypt(pw, key)
		if err == nil {
			listing, err = plan.Write(ctx, io.MultiWriter(w, h, cw), folderProgress{ctx, p})
			if err == nil {
				err = w.Close()
			}
		}
		pw.CloseWithError(err)
		done <- err
	}()
	c, addErr := s.ipfs.Add(ctx, pr, "datashare payload "+job.ID)
	pr.CloseWithError(errStoppedReading)
	encErr := <-done
	switch {
	case encErr != nil && !errors.Is(encErr, errStoppedReading):
		if addErr == nil {
			return s.abortAdd(ctx, c, fmt.Errorf("read and encrypt %s: %w", job.Path, encErr))
		}
		return fmt.Errorf("read and encrypt %s: %w", job.Path, encErr)
	case addErr != nil:
		return fmt.Errorf("add %s to IPFS: %w", job.Name, addErr)
	case encErr != nil:
		return fmt.Errorf("add %s to IPFS: %w", job.Name, encErr)
	}
	job.PayloadCID, job.Size, job.SHA256 = c.String(), cw.n, hex.EncodeToString(h.Sum(nil))
	job.Stage = index.JobPayload
	pendingListings.Store(job.ID, listing)
	if err := s.index.PutJob(ctx, job); err != nil {
		pendingListings.Delete(job.ID)
		job.PayloadCID, job.Size, job.SHA256, job.Stage = "", -1, "", index.JobCreated
		return s.abortAdd(ctx, c, err)
	}
	return nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// addListing stores the listing of a folder job beside its payload and points m to it.
func (s *Service) addListing(ctx context.Context, job *index.Job, key *seal.DatasetKey, m *Metadata) error {
	v, ok := pendingListings.Load(job.ID)
	var listing archive.Listing
	if ok {
		listing = v.(archive.Listing)
	} else {
		var err error
		if listing, err = s.rebuildListing(ctx, job, key); err != nil {
			return fmt.Errorf("list the files of %s again: %w", job.Name, err)
		}
	}
	doc, err := json.Marshal(listingDoc{Format: ListingFormat, Version: 1, Listing: listing})
	if err != nil {
		return err
	}
	if len(doc) > maxListingSize {
		return invalidf("%s holds too many files to list (%d bytes of listing, at most %d)", job.Path, len(doc), maxListingSize)
	}
	if !job.Public {
		var buf bytes.Buffer
		w, err := seal.Encrypt(&buf, key)
		if err != nil {
			return err
		}
		if _, err := w.Write(doc); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		doc = buf.Bytes()
	}
	c, err := s.ipfs.Add(ctx, bytes.NewReader(doc), "datashare listing "+job.ID)
	if err != nil {
		return fmt.Errorf("add the file list of %s to IPFS: %w", job.Name, err)
	}
	sum := sha256.Sum256(doc)
	m.Version = 2
	m.Folder = &FolderInfo{Listing: c.String(), SHA256: hex.EncodeToString(sum[:]), Files: len(listing.Files), Bytes: listing.Size()}
	pendingListings.Delete(job.ID)
	return nil
}

// rebuildListing reads a folder job's payload back (after a stop between payload and metadata)
// and lists it.
func (s *Service) rebuildListing(ctx context.Context, job *index.Job, key *seal.DatasetKey) (archive.Listing, error) {
	c, err := cid.Decode(job.PayloadCID)
	if err != nil {
		return archive.Listing{}, err
	}
	r, _, err := s.ipfs.Open(ctx, c)
	if err != nil {
		return archive.Listing{}, err
	}
	defer r.Close()
	plain, err := seal.Decrypt(r, key)
	if err != nil {
		return archive.Listing{}, err
	}
	return archive.List(ctx, plain)
}

// checkFolder checks the folder part of a metadata document.
func checkFolder(m Metadata) error {
	f := m.Folder
	switch {
	case f == nil:
		return fmt.Errorf("metadata version 2 has no folder listing")
	case len(f.SHA256) != 64 || !isHex(f.SHA256):
		return fmt.Errorf("metadata has no valid SHA-256 for its file list")
	case f.Files < 0 || f.Bytes < 0 || f.Bytes > m.Size:
		return fmt.Errorf("metadata has an impossible file list (%d files, %d bytes in a payload of %d)", f.Files, f.Bytes, m.Size)
	}
	if _, err := cid.Decode(f.Listing); err != nil {
		return fmt.Errorf("metadata has an invalid file list CID: %w", err)
	}
	return nil
}

// readListing reads, checks and (for a private dataset) decrypts a folder's listing.
func (s *Service) readListing(ctx context.Context, m Metadata, key *seal.DatasetKey) (archive.Listing, error) {
	c, err := cid.Decode(m.Folder.Listing)
	if err != nil {
		return archive.Listing{}, err
	}
	r, size, err := s.ipfs.Open(ctx, c)
	if err != nil {
		return archive.Listing{}, fmt.Errorf("read its file list from IPFS: %w", err)
	}
	defer r.Close()
	if size > maxListingSize+(1<<20) {
		return archive.Listing{}, fmt.Errorf("its file list is %d bytes, more than allowed", size)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxListingSize+(1<<20)+1))
	if err != nil {
		return archive.Listing{}, fmt.Errorf("read its file list from IPFS: %w", err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != m.Folder.SHA256 {
		return archive.Listing{}, errors.New("its file list does not match its metadata (SHA-256)")
	}
	if bytes.HasPrefix(b, ageHeader) {
		if key == nil {
			return archive.Listing{}, errors.New("the file list is private and no key was given")
		}
		plain, err := seal.Decrypt(bytes.NewReader(b), key)
		if err != nil {
			return archive.Listing{}, fmt.Errorf("decrypt its file list: %w", err)
		}
		if b, err = io.ReadAll(io.LimitReader(plain, maxListingSize+1)); err != nil {
			return archive.Listing{}, fmt.Errorf("decrypt its file list: %w", err)
		}
	}
	var doc listingDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return archive.Listing{}, fmt.Errorf("its file list is not valid JSON: %w", err)
	}
	if doc.Format != ListingFormat || doc.Version != 1 {
		return archive.Listing{}, fmt.Errorf("its file list has an unknown format (%q version %d): update DataShare", doc.Format, doc.Version)
	}
	if err := doc.Listing.Check(); err != nil {
		return archive.Listing{}, fmt.Errorf("its file list: %w", err)
	}
	if len(doc.Files) != m.Folder.Files || doc.Listing.Size() != m.Folder.Bytes || doc.Listing.Size() > m.Size {
		return archive.Listing{}, errors.New("its file list does not match its metadata (count or size)")
	}
	return doc.Listing, nil
}

// Files returns the file list of a folder dataset (a version; 0: the newest this profile
// holds a key for).
//
// A public dataset's file list is readable without its key (its metadata and list are not
// encrypted, only its payload), so a buyer sees what it pays for before it requests access.
func (s *Service) Files(ctx context.Context, id, version uint64) ([]FolderFile, error) {
	key, metaCID, err := s.datasetKey(ctx, id, version)
	if errors.Is(err, ErrNoAccess) {
		return s.publicFiles(ctx, id, version, err)
	}
	if err != nil {
		return nil, err
	}
	s.dialLocalPeers(ctx)
	m, err := s.readMetadata(ctx, metaCID, key)
	if err != nil {
		return nil, fmt.Errorf("dataset %d: %w", id, err)
	}
	return s.folderFiles(ctx, id, m, key)
}

// publicFiles lists the files of a version of a dataset this profile holds no key to: a
// public one's from its plain metadata; a private one's is refused with noAccess.
func (s *Service) publicFiles(ctx context.Context, id, version uint64, noAccess error) ([]FolderFile, error) {
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		version = info.Version
	}
	vs, err := s.versions(ctx, id)
	if err != nil {
		return nil, err
	}
	v, ok := vs[version]
	if !ok {
		return nil, noAccess
	}
	s.dialLocalPeers(ctx)
	m, err := s.readMetadata(ctx, v.MetadataCID, nil)
	switch {
	case errors.Is(err, errPrivateMetadata):
		return nil, noAccess
	case err != nil:
		return nil, fmt.Errorf("dataset %d: %w", id, err)
	case !m.Public:
		return nil, noAccess
	}
	return s.folderFiles(ctx, id, m, nil)
}

// folderFiles reads the file list m points to.
func (s *Service) folderFiles(ctx context.Context, id uint64, m Metadata, key *seal.DatasetKey) ([]FolderFile, error) {
	if m.Folder == nil {
		return nil, invalidf("dataset %d is a single file (%s), not a folder", id, m.Name)
	}
	s.dialProviders(ctx, m.Providers)
	l, err := s.readListing(ctx, m, key)
	if err != nil {
		return nil, fmt.Errorf("dataset %d: %w", id, err)
	}
	return l.Files, nil
}

// fetchFolder is Fetch of a folder dataset: the tree is recreated under outPath (made if
// missing), every file verified against the listing.
func (s *Service) fetchFolder(ctx context.Context, id uint64, key *seal.DatasetKey, metaCID cid.Cid, m Metadata, outPath string, opts FetchOptions, w *waiter, p Progress) (FetchResult, error) {
	if outPath == "" {
		return FetchResult{}, invalid("no output folder given")
	}
	dir, err := filepath.Abs(outPath)
	if err != nil {
		return FetchResult{}, err
	}
	s.dialProviders(ctx, m.Providers)
	listing, err := s.readListing(ctx, m, key)
	if err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	if _, err := archive.Select(listing, opts.Only); err != nil {
		return FetchResult{}, invalidf("dataset %d: %v", id, err)
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return FetchResult{}, invalidf("%s is a file: dataset %d is a folder, give a folder to write it into", dir, id)
	} else if errors.Is(err, os.ErrNotExist) {
		if err := os.Mkdir(dir, 0o755); err != nil {
			return FetchResult{}, fmt.Errorf("make %s: %w", dir, err)
		}
	}
	payload, err := cid.Decode(m.Payload)
	if err != nil {
		return FetchResult{}, err
	}
	p.Stage(StageDownload)
	if err := w.await(ctx, payload, m.Providers, StageDownload); err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	limit := encryptedSize(m.Size)
	if _, err := s.fetchPayload(ctx, id, payload, limit, p); err != nil {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	r, size, err := s.ipfs.Open(ctx, payload)
	if err != nil {
		return FetchResult{}, fmt.Errorf("read dataset %d from IPFS: %w", id, err)
	}
	defer r.Close()
	if size > limit {
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, errTooLarge)
	}
	p.Stage(StageDecrypt)
	plain, err := seal.Decrypt(&boundedReader{r: r, left: limit}, key)
	if err != nil {
		return FetchResult{}, fmt.Errorf("decrypt dataset %d: %w", id, err)
	}
	res, err := archive.Extract(ctx, io.LimitReader(plain, m.Size+1), dir, archive.Options{Only: opts.Only, Overwrite: opts.Overwrite}, listing, folderProgress{ctx, p})
	if err != nil {
		var ee *archive.ExistsError
		if errors.As(err, &ee) {
			return FetchResult{}, fmt.Errorf("dataset %d: %w", id, &ExistsError{Path: filepath.Join(dir, filepath.FromSlash(ee.Paths[0]))})
		}
		return FetchResult{}, fmt.Errorf("dataset %d: %w", id, err)
	}
	if held, err := s.pinned(ctx, metaCID); err != nil || !held {
		if err == nil {
			err = s.ipfs.Fetch(ctx, metaCID, s.fetchedPinName(id), nil)
		}
		if err != nil {
			return FetchResult{}, fmt.Errorf("dataset %d was written to %s, but its metadata could not be pinned: %w", id, dir, err)
		}
	}
	p.Stage(StageDone)
	return FetchResult{Path: dir, Name: m.Name, Size: res.Bytes, SHA256: m.SHA256, Files: res.Files, Kept: res.Kept}, nil
}
