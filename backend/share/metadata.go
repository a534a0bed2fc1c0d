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
	"unicode/utf8"

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
	// Folder is set (version 2) when the payload is a folder's tar stream (see folder.go).
	Folder *FolderInfo `json:"folder,omitempty"`
}

// Provider is an IPFS peer that holds the payload.
type Provider struct {
	PeerID string   `json:"peerId"`
	Addrs  []string `json:"addrs"`
}

// maxDatasetSize is more than any dataset can be (1 PiB); the size bounds the fetch.
const maxDatasetSize = 1 << 50

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

// errPrivateMetadata is the refusal to read a private metadata document without its key.
var errPrivateMetadata = errors.New("the metadata is private and no key was given")

// decodeMetadata parses a metadata document (decrypting it with k when it is encrypted) and
// checks every field a downloader relies on: the document comes from whoever published it.
func decodeMetadata(b []byte, k *seal.DatasetKey) (Metadata, error) {
	var m Metadata
	if bytes.HasPrefix(b, ageHeader) {
		if k == nil {
			return m, errPrivateMetadata
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
	case m.Version == 2:
		if err := checkFolder(m); err != nil {
			return m, err
		}
	case m.Version == 1 && m.Folder != nil:
		return m, fmt.Errorf("metadata version 1 cannot describe a folder")
	case m.Version != 1:
		return m, fmt.Errorf("metadata version %d is newer than this app understands: update DataShare", m.Version)
	case m.Size < 0 || m.Size > maxDatasetSize:
		return m, fmt.Errorf("metadata has an impossible size (%d bytes)", m.Size)
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

// MaxFileNameBytes bounds the names SafeFileName returns (filesystems allow 255 bytes).
const MaxFileNameBytes = 200

// SafeFileName turns a dataset name into a file name to write into a directory the user chose.
// The name was chosen by the dataset's owner, a stranger, so what comes out:
//   - stays in the directory: no "/" or "\" (each becomes "_"), never "." or "..";
//   - is not hidden and not taken for an option or a home directory: no leading ".", "-" or "~";
//   - shows what it is: no control characters, no Unicode format characters (bidi overrides,
//     zero-width characters), no line or paragraph separators, no invalid UTF-8;
//   - works on Windows too: none of <>:"|?* (each becomes "_"), no trailing dot or space, and
//     no reserved device name (CON, NUL, COM1, ... get a "_" in front);
//   - is never empty ("dataset") and at most MaxFileNameBytes long, cut on a character
//     boundary and keeping a short extension.
//
// SafeFileName(SafeFileName(x)) == SafeFileName(x).
func SafeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return '_'
		case strings.ContainsRune(`/\<>:"|?*`, r):
			return '_'
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.In(r, unicode.Zl, unicode.Zp):
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, "_"))
	name = trimName(name)
	if name != "" && strings.ContainsRune("-~", rune(name[0])) {
		name = "_" + name[1:]
	}
	if isReservedName(name) {
		name = "_" + name
	}
	if len(name) > MaxFileNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 20 || len(ext) == len(name) {
			ext = ""
		}
		name = trimName(truncateUTF8(name[:len(name)-len(ext)], MaxFileNameBytes-len(ext)) + ext)
	}
	if name == "" {
		return "dataset"
	}
	return name
}

// trimName drops leading dots and spaces, and trailing ones (Windows drops those itself).
func trimName(s string) string {
	dotOrSpace := func(r rune) bool { return r == '.' || unicode.IsSpace(r) }
	return strings.TrimRightFunc(strings.TrimLeftFunc(s, dotOrSpace), dotOrSpace)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// isReservedName reports whether Windows takes name (whatever its extension) for a device.
func isReservedName(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return true
	}
	for _, sup := range []string{"¹", "²", "³"} {
		if base == "COM"+sup || base == "LPT"+sup {
			return true
		}
	}
	return false
}
