package share

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/seal"
)

// MetadataFormat identifies DataShare's metadata documents.
const MetadataFormat = "datashare/metadata"

// Metadata describes a dataset version. Public datasets store it as plain JSON on IPFS; private
// ones encrypt the same JSON to the dataset key.
type Metadata struct {
	Format      string     `json:"format"`  // MetadataFormat
	Version     int        `json:"version"` // 1
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Tags        []string   `json:"tags,omitempty"`
	Size        int64      `json:"size"`      // plaintext bytes
	MediaType   string     `json:"mediaType"` //
	SHA256      string     `json:"sha256"`    // hex, of the plaintext
	Payload     string     `json:"payload"`   // CID of the encrypted payload
	Public      bool       `json:"public"`
	Created     time.Time  `json:"created"`
	Providers   []Provider `json:"providers,omitempty"` // where to dial for the payload
}

// Provider is an IPFS peer that holds the payload.
type Provider struct {
	PeerID string   `json:"peerId"`
	Addrs  []string `json:"addrs"`
}

// ageHeader starts every age file: private metadata is encrypted, public metadata is JSON.
var ageHeader = []byte("age-encryption.org/v1\n")

// encodeMetadata serializes m, encrypted to k unless public.
func encodeMetadata(m Metadata, k *seal.DatasetKey) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if m.Public {
		return b, nil
	}
	return seal.EncryptMetadata(b, k)
}

// decodeMetadata parses a metadata document (decrypting it with k when it is encrypted) and
// checks every field a downloader relies on: the document comes from whoever published it.
func decodeMetadata(b []byte, k *seal.DatasetKey) (Metadata, error) {
	var m Metadata
	if bytes.HasPrefix(b, ageHeader) {
		if k == nil {
			return m, errors.New("the metadata is private and no key was given")
		}
		plain, err := seal.DecryptMetadata(b, k)
		if err != nil {
			return m, fmt.Errorf("decrypt metadata: %w", err)
		}
		b = plain
	}
	if len(b) > seal.MaxMetadataSize {
		return m, fmt.Errorf("metadata is %d bytes, more than %d", len(b), seal.MaxMetadataSize)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("metadata is not valid JSON: %w", err)
	}
	switch {
	case m.Format != MetadataFormat:
		return m, fmt.Errorf("not a DataShare metadata document (format %q)", m.Format)
	case m.Version != 1:
		return m, fmt.Errorf("metadata version %d is newer than this app understands: update DataShare", m.Version)
	case m.Size < 0:
		return m, fmt.Errorf("metadata has a negative size")
	case len(m.SHA256) != 64 || !isHex(m.SHA256):
		return m, fmt.Errorf("metadata has no valid SHA-256")
	}
	if _, err := cid.Decode(m.Payload); err != nil {
		return m, fmt.Errorf("metadata has an invalid payload CID: %w", err)
	}
	return m, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// SafeFileName turns a dataset name (chosen by a stranger) into a file name that stays in the
// chosen directory: no path separators, no control characters, not empty, not "." or "..".
func SafeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == 0:
			return '_'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "dataset"
	}
	if len(name) > 200 {
		ext := filepath.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		name = name[:200-len(ext)] + ext
	}
	return name
}
