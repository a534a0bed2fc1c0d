// Package seal encrypts DataShare datasets and shares their keys.
//
// Every version of a dataset gets a fresh [DatasetKey], an age X25519
// identity. The dataset file (the payload) is encrypted to it with [Encrypt]
// and stored on IPFS, and the key itself is sealed for each account allowed
// to read the dataset with [SealKey], producing a small key envelope that is
// published in Ethereum calldata. A reader opens their envelope with
// [OpenKey] and streams the payload through [Decrypt].
//
// Most callers need only these functions:
//
//	k, err := seal.NewDatasetKey()
//	w, err := seal.Encrypt(file, k)          // write the plaintext to w, then Close it
//	env, err := seal.SealKey(k, accountPub)  // one envelope per reader
//
//	k, err := seal.OpenKey(env, accountIdentity)
//	r, err := seal.Decrypt(file, k)          // read the plaintext from r
//
// An account's public key is registered on chain as a raw bytes32; convert
// with [PublicKeyBytes] and [RecipientFromBytes].
//
// # Formats
//
// Everything is plain age (age-encryption.org/v1), so the standard age tool
// can always recover the data without DataShare:
//
//   - A payload is a binary age file encrypted to the dataset key. Given the
//     dataset key in a file, "age -d -i key.txt payload.age" decrypts it.
//   - A key envelope is a binary age file, encrypted to one account's X25519
//     public key, whose plaintext is the dataset key as an age identity file
//     (a single "AGE-SECRET-KEY-1..." line). It is exactly [EnvelopeSize]
//     bytes long.
//   - Private dataset metadata ([EncryptMetadata]) is a binary age file
//     encrypted to the dataset key, limited to [MaxMetadataSize] bytes of
//     plaintext.
//
// age authenticates the data (a payload that was modified, truncated or
// extended fails to decrypt with [ErrCorrupt]) but not the sender: anyone who
// knows a recipient can encrypt to it. Which payload and envelope belong to a
// dataset is decided by what is registered on chain (for example the payload's
// IPFS CID), not by the fact that they decrypt.
//
// # Handling keys
//
// A dataset key is a secret. [DatasetKey.String], and therefore fmt and log,
// show only its public half; the secret is returned only by
// [DatasetKey.Secret], which should be called only to persist the key (in a
// file with restrictive permissions, or a system keyring) or to hand it to
// the age tool. Errors returned by this package never contain secrets or
// plaintext.
//
// Generate a new DatasetKey for every version of a dataset; never reuse one.
//
// An account's X25519 identity is long-lived and is handled with the age API
// directly ([age.GenerateX25519Identity], [age.ParseX25519Identity]). Only
// its public key leaves the machine, as [PublicKeyBytes].
package seal

import (
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// ErrWrongKey is returned (wrapped) when a payload, envelope or metadata was
// not encrypted to the given key or identity. The returned error also wraps
// the underlying [*age.NoIdentityMatchError].
//
// Because the recipient block of an age file is authenticated only by the
// intended identity, a damaged recipient block is also reported as
// ErrWrongKey.
var ErrWrongKey = errors.New("not encrypted to this key")

// ErrCorrupt is returned (wrapped) when a payload, envelope or metadata is
// not a valid age file, failed authentication because it was truncated,
// extended or modified, or (for an envelope) does not contain a dataset key.
// Plaintext read before the error was detected must be discarded.
var ErrCorrupt = errors.New("ciphertext is corrupted, truncated or was tampered with")

// A DatasetKey is the secret key of one version of a dataset: an age X25519
// identity that the payload and metadata are encrypted to.
//
// Its String method returns only the public key; use [DatasetKey.Secret] to
// get the secret.
type DatasetKey struct {
	id *age.X25519Identity
}

// NewDatasetKey generates a new random DatasetKey.
func NewDatasetKey() (*DatasetKey, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("seal: failed to generate dataset key: %w", err)
	}
	return &DatasetKey{id: id}, nil
}

// ParseDatasetKey parses a DatasetKey from the "AGE-SECRET-KEY-1..." form
// returned by [DatasetKey.Secret]. Surrounding whitespace is not accepted.
//
// The error does not describe what is wrong with s, since s is presumably a
// secret and the details could leak part of it.
func ParseDatasetKey(s string) (*DatasetKey, error) {
	id, err := age.ParseX25519Identity(s)
	if err != nil {
		// Don't wrap err: age's bech32 errors can quote characters of s.
		return nil, errors.New("seal: malformed dataset key: not an age X25519 secret key (AGE-SECRET-KEY-1...)")
	}
	return &DatasetKey{id: id}, nil
}

// Secret returns the secret key in the age identity encoding,
// "AGE-SECRET-KEY-1...", which [ParseDatasetKey] and the age tool accept.
func (k *DatasetKey) Secret() string {
	return k.id.String()
}

// Recipient returns the public key that payloads and metadata are encrypted to.
func (k *DatasetKey) Recipient() *age.X25519Recipient {
	return k.id.Recipient()
}

// String returns a description of k that identifies it by its public key,
// like "seal.DatasetKey(age1...)". It never includes the secret key.
func (k *DatasetKey) String() string {
	if k == nil || k.id == nil {
		return "seal.DatasetKey(nil)"
	}
	return "seal.DatasetKey(" + k.id.Recipient().String() + ")"
}

// GoString is like String, so that the %#v verb doesn't reveal the secret.
func (k *DatasetKey) GoString() string {
	return k.String()
}

func checkKey(k *DatasetKey) error {
	if k == nil || k.id == nil {
		return errors.New("seal: nil dataset key")
	}
	return nil
}

// Encrypt encrypts a payload to the dataset key k.
//
// Writes to the returned WriteCloser are encrypted and written to dst as a
// binary age file. The caller must call Close on the WriteCloser when done
// for the last chunk to be encrypted and flushed to dst; Close does not close
// dst. Encryption is streaming: only one 64 KiB chunk is buffered.
func Encrypt(dst io.Writer, k *DatasetKey) (io.WriteCloser, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	w, err := age.Encrypt(dst, k.id.Recipient())
	if err != nil {
		return nil, fmt.Errorf("seal: failed to start payload encryption: %w", err)
	}
	return w, nil
}

// Decrypt decrypts a payload encrypted to the dataset key k.
//
// The age header is read and checked before Decrypt returns: if the payload
// was not encrypted to k, the error wraps [ErrWrongKey]. The returned Reader
// streams the plaintext; every 64 KiB chunk is authenticated before it is
// returned, and a payload that was modified, truncated or extended makes
// Read fail with an error wrapping [ErrCorrupt]. Errors returned by src are
// passed on (wrapped) and don't match ErrCorrupt.
//
// Read returns io.EOF only after the whole payload has been authenticated.
// Callers that act on the plaintext before reaching io.EOF (for example by
// writing it to its final location) must be prepared to undo that on error.
func Decrypt(src io.Reader, k *DatasetKey) (io.Reader, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	return decrypt(src, k.id, "payload")
}

// decrypt is age.Decrypt with errors mapped to this package's sentinels.
// what names the kind of file, for error messages.
func decrypt(src io.Reader, id age.Identity, what string) (io.Reader, error) {
	s := &sourceReader{r: src}
	r, err := age.Decrypt(s, id)
	if err != nil {
		return nil, decryptError(what, s, err, true)
	}
	return &decryptReader{r: r, src: s, what: what}, nil
}

// sourceReader records the first error, other than io.EOF, returned by the
// underlying reader, to tell I/O failures apart from corrupted data.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

type decryptReader struct {
	r    io.Reader
	src  *sourceReader
	what string
}

func (d *decryptReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = decryptError(d.what, d.src, err, false)
	}
	return n, err
}

// decryptError maps an error from age.Decrypt (if header is true) or from
// reading its plaintext to ErrWrongKey, an I/O error of src, or ErrCorrupt.
func decryptError(what string, src *sourceReader, err error, header bool) error {
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return fmt.Errorf("seal: failed to decrypt %s: %w: %w", what, ErrWrongKey, err)
	case src.err != nil:
		return fmt.Errorf("seal: failed to read %s: %w", what, src.err)
	case header:
		// age's header parsing errors quote the offending line, which might
		// be plaintext or a secret if src is not an age file at all (for
		// example an unencrypted key passed as an envelope). Leave them out.
		return fmt.Errorf("seal: failed to decrypt %s: %w: invalid age header", what, ErrCorrupt)
	default:
		return fmt.Errorf("seal: failed to decrypt %s: %w: %w", what, ErrCorrupt, err)
	}
}
