package keys

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/common"
)

const (
	metaFileName  = "keys.json"
	storeFileName = "keys.age"

	backendKeyring = "keyring"
	backendFile    = "file"

	metaVersion = 1
)

// meta is keys.json: what a data dir's keys are and where, without secrets.
type meta struct {
	Version int    `json:"version"`
	Backend string `json:"backend"`
	// KeyringID is the <id> in keyring item users "<item>@<id>".
	KeyringID string `json:"keyring_id,omitempty"`
	// File is the keys file, relative to the data dir.
	File          string    `json:"file,omitempty"`
	DeviceAddress string    `json:"device_address"`
	EncryptionKey string    `json:"encryption_key"` // 0x-hex of the 32-byte X25519 public key
	Recipient     string    `json:"recipient"`      // the same key as an age recipient
	Created       time.Time `json:"created"`
}

func newMeta(backend, keyringID string, m *material) *meta {
	md := &meta{
		Version:       metaVersion,
		Backend:       backend,
		KeyringID:     keyringID,
		DeviceAddress: m.address().Hex(),
		Recipient:     m.identity.Recipient().String(),
		Created:       time.Now().UTC().Truncate(time.Second),
	}
	ek := m.encryptionKey()
	md.EncryptionKey = "0x" + hex.EncodeToString(ek[:])
	if backend == backendFile {
		md.File = storeFileName
	}
	return md
}

// matches reports whether m are the keys md records.
func (md *meta) matches(m *material) bool {
	return md.DeviceAddress == m.address().Hex() && md.Recipient == m.identity.Recipient().String()
}

// readMeta reads dir's keys.json; it returns nil, nil if there is none.
func readMeta(dir string) (*meta, error) {
	path := filepath.Join(dir, metaFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("keys: read %s: %w", path, err)
	}
	var md meta
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&md); err != nil {
		return nil, fmt.Errorf("keys: %s: %w: not valid JSON (%v); if the keys themselves are intact, removing it makes DataShare rebuild it", path, ErrCorrupt, err)
	}
	if md.Version != metaVersion {
		return nil, fmt.Errorf("keys: %s: %w: unsupported version %d (this DataShare knows version %d)", path, ErrCorrupt, md.Version, metaVersion)
	}
	switch {
	case md.Backend != backendKeyring && md.Backend != backendFile:
		return nil, fmt.Errorf("keys: %s: %w: unknown backend %q", path, ErrCorrupt, md.Backend)
	case md.Backend == backendKeyring && !keyringIDRe.MatchString(md.KeyringID):
		return nil, fmt.Errorf("keys: %s: %w: invalid keyring_id %q", path, ErrCorrupt, md.KeyringID)
	case !common.IsHexAddress(md.DeviceAddress):
		return nil, fmt.Errorf("keys: %s: %w: invalid device_address", path, ErrCorrupt)
	}
	if _, err := age.ParseX25519Recipient(md.Recipient); err != nil {
		return nil, fmt.Errorf("keys: %s: %w: invalid recipient", path, ErrCorrupt)
	}
	if _, err := parseEncryptionKey(md.EncryptionKey); err != nil {
		return nil, fmt.Errorf("keys: %s: %w: invalid encryption_key", path, ErrCorrupt)
	}
	return &md, nil
}

func parseEncryptionKey(s string) ([32]byte, error) {
	var k [32]byte
	if len(s) != 66 || s[:2] != "0x" {
		return k, errors.New("not 0x and 64 hex digits")
	}
	_, err := hex.Decode(k[:], []byte(s[2:]))
	return k, err
}

func writeMeta(dir string, md *meta) error {
	data, err := json.MarshalIndent(md, "", "  ")
	if err != nil {
		return fmt.Errorf("keys: encode %s: %w", metaFileName, err)
	}
	data = append(data, '\n')
	if err := writeFileAtomic(filepath.Join(dir, metaFileName), data); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

// dataDirID is the short hash of an absolute data dir used in keyring item
// names.
func dataDirID(absDir string) string {
	h := sha256.Sum256([]byte(absDir))
	return hex.EncodeToString(h[:6])
}

// Status is what keys.json tells about a data dir, readable without
// unlocking anything.
type Status struct {
	// Backend is as returned by [Keys.Backend].
	Backend       string
	DeviceAddress common.Address
	EncryptionKey [32]byte
	// Recipient is EncryptionKey as an age recipient ("age1...").
	Recipient string
	Created   time.Time
}

// ReadStatus returns the status of dataDir's keys without unlocking them, or
// an error wrapping ErrNoKeys if it has none (yet).
func ReadStatus(dataDir string) (*Status, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("keys: data dir %s: %w", dataDir, err)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	md, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	if md == nil {
		return nil, fmt.Errorf("keys: %s: %w", dir, ErrNoKeys)
	}
	ek, _ := parseEncryptionKey(md.EncryptionKey) // checked by readMeta
	st := &Status{
		DeviceAddress: common.HexToAddress(md.DeviceAddress),
		EncryptionKey: ek,
		Recipient:     md.Recipient,
		Created:       md.Created,
	}
	if md.Backend == backendKeyring {
		st.Backend = keyringDescription
	} else {
		st.Backend = fileDescription(filepath.Join(dir, storeFileName))
	}
	return st, nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory, written with mode 0600, synced, renamed over path, and the
// directory synced.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		// Best effort: not every platform can sync a directory.
		_ = d.Sync()
		d.Close()
	}
	return nil
}
