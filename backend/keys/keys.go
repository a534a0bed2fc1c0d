package keys

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/seal"
)

// Purposes passed to [Options.Passphrase].
const (
	// PurposeCreate asks for a new passphrase for a new keys file. Asking
	// twice to catch typos is the caller's job.
	PurposeCreate = "create"
	// PurposeUnlock asks for the passphrase of an existing keys file.
	PurposeUnlock = "unlock"
)

// EnvPassphrase is the environment variable that holds the passphrase of the
// keys file, when [Options.Passphrase] is nil.
const EnvPassphrase = "DATASHARE_PASSPHRASE"

// MaxSecretSize is the largest value [Keys.SetSecret] accepts, in bytes, so
// that every keyring item stays well inside the platform limits.
const MaxSecretSize = 1024

var (
	// ErrPassphraseRequired is returned when the keys file is in use and
	// neither [Options.Passphrase] nor DATASHARE_PASSPHRASE gave a passphrase.
	ErrPassphraseRequired = errors.New("a passphrase is required")
	// ErrWrongPassphrase is returned when a keys file or backup does not open
	// with the given passphrase. Nothing was changed.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrWeakPassphrase is returned when a new passphrase is empty or too
	// short (fewer than [MinPassphraseLength] characters).
	ErrWeakPassphrase = errors.New("too weak")
	// ErrNoKeys is returned when a data dir has no keys yet.
	ErrNoKeys = errors.New("no keys in this data dir")
	// ErrKeysMissing is returned when keys.json records keys that their store
	// (system keyring or keys file) no longer has. No new keys are made: the
	// old encryption identity is the only way to what was shared with it.
	ErrKeysMissing = errors.New("the keys of this profile are missing")
	// ErrExistingKeys is returned by [Import] when the data dir already has
	// different keys and replace was not requested.
	ErrExistingKeys = errors.New("the data dir already has different keys")
	// ErrKeyringUnavailable is returned when a data dir keeps its keys in the
	// system keyring and the keyring cannot be used.
	ErrKeyringUnavailable = errors.New("system keyring not available")
	// ErrCorrupt is returned when a keys file, keys.json or backup is damaged
	// or not what it should be.
	ErrCorrupt = errors.New("damaged key data")
)

// Options says where the keys are and how to ask for a passphrase.
type Options struct {
	// DataDir is the profile's data dir; it is created if needed.
	DataDir string
	// Passphrase is asked only when the passphrase file is used (no
	// keyring). purpose is PurposeCreate (first start: ask twice/confirm is
	// the caller's job) or PurposeUnlock. When nil, DATASHARE_PASSPHRASE is
	// used if set; otherwise ErrPassphraseRequired is returned.
	Passphrase func(ctx context.Context, purpose string) (string, error)
	// NoKeyring forces the passphrase file (tests; users without a Secret
	// Service). A data dir whose keys are already in the keyring fails with
	// ErrKeyringUnavailable.
	NoKeyring bool
}

// Keys are the loaded keys of one data dir. Its methods are safe for
// concurrent use.
type Keys struct {
	dataDir  string
	device   *ecdsa.PrivateKey
	address  common.Address
	identity *age.X25519Identity
	encKey   [32]byte

	mu    sync.Mutex // serializes changes to named secrets
	store store
}

// store keeps the named secrets; the device key and the identity are written
// when the store is created and only read afterwards.
type store interface {
	describe() string
	secret(ctx context.Context, name string) ([]byte, bool, error)
	setSecret(ctx context.Context, name string, value []byte) error
	deleteSecret(ctx context.Context, name string) error
	secrets(ctx context.Context) (map[string][]byte, error)
}

// material is the secret part of a profile.
type material struct {
	device   *ecdsa.PrivateKey
	identity *age.X25519Identity
}

func generateMaterial() (*material, error) {
	dev, err := crypto.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("keys: generate device key: %w", err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("keys: generate encryption identity: %w", err)
	}
	return &material{device: dev, identity: id}, nil
}

func (m *material) address() common.Address { return crypto.PubkeyToAddress(m.device.PublicKey) }

func (m *material) encryptionKey() [32]byte { return seal.PublicKeyBytes(m.identity) }

func (m *material) sameAs(o *material) bool {
	return m.address() == o.address() && m.encryptionKey() == o.encryptionKey()
}

// parseDeviceKey parses a hex secp256k1 key. Errors never quote s.
func parseDeviceKey(s string) (*ecdsa.PrivateKey, error) {
	k, err := crypto.HexToECDSA(s)
	if err != nil {
		return nil, errors.New("device key is not a valid secp256k1 key")
	}
	return k, nil
}

// parseIdentity parses an age X25519 identity. Errors never quote s.
func parseIdentity(s string) (*age.X25519Identity, error) {
	id, err := age.ParseX25519Identity(s)
	if err != nil {
		return nil, errors.New("encryption identity is not a valid age X25519 secret key")
	}
	return id, nil
}

func deviceKeyHex(k *ecdsa.PrivateKey) string {
	return fmt.Sprintf("%x", crypto.FromECDSA(k))
}

func newKeys(dir string, m *material, s store) *Keys {
	return &Keys{
		dataDir:  dir,
		device:   m.device,
		address:  m.address(),
		identity: m.identity,
		encKey:   m.encryptionKey(),
		store:    s,
	}
}

// Open loads the keys of opts.DataDir or, on first start, creates the device
// key (secp256k1) and the encryption identity (age X25519).
//
// A new data dir uses the system keyring if one is reachable and works, and
// the passphrase file otherwise; an existing one keeps the backend it was
// created with (see the package documentation). Errors callers may want to
// tell apart wrap ErrPassphraseRequired, ErrWrongPassphrase,
// ErrWeakPassphrase (a new passphrase), ErrKeysMissing,
// ErrKeyringUnavailable or ErrCorrupt. A failed Open changes nothing.
func Open(ctx context.Context, opts Options) (*Keys, error) {
	dir, err := prepareDataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	md, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	useKeyring, err := chooseBackend(ctx, dir, opts, md)
	if err != nil {
		return nil, err
	}
	if !useKeyring {
		return openFile(ctx, dir, opts, md)
	}
	k, err := openKeyring(ctx, dir, md)
	var fe *fallbackError
	if !errors.As(err, &fe) {
		return k, err
	}
	// First start, and the keyring failed: nothing of this profile is in
	// it, so the passphrase file is as good a home.
	k, err = openFile(ctx, dir, opts, md)
	if errors.Is(err, ErrPassphraseRequired) {
		return nil, fmt.Errorf("%w (the system keyring was tried: %v)", err, fe.err)
	}
	return k, err
}

// chooseBackend reports whether the keyring is to be used for dir.
func chooseBackend(ctx context.Context, dir string, opts Options, md *meta) (bool, error) {
	if md != nil {
		if md.Backend == backendFile {
			return false, nil
		}
		if opts.NoKeyring {
			return false, fmt.Errorf("keys: %s keeps its keys in the system keyring, but the keyring was turned off: %w", dir, ErrKeyringUnavailable)
		}
		if err := probeKeyring(ctx); err != nil {
			return false, fmt.Errorf("keys: %s keeps its keys in the system keyring, which cannot be used (%v): start the keyring (for example gnome-keyring) in this session: %w", dir, err, ErrKeyringUnavailable)
		}
		return true, nil
	}
	if _, err := os.Stat(filepath.Join(dir, storeFileName)); err == nil {
		return false, nil
	}
	if opts.NoKeyring {
		return false, nil
	}
	return probeKeyring(ctx) == nil, nil
}

// prepareDataDir makes dir absolute and creates it.
func prepareDataDir(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("keys: no data dir given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("keys: data dir %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", fmt.Errorf("keys: create data dir: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return abs, nil
}

// passphrase asks for a passphrase through opts, or takes it from the
// environment.
func passphrase(ctx context.Context, opts Options, purpose string) (string, error) {
	var p string
	if opts.Passphrase != nil {
		var err error
		p, err = opts.Passphrase(ctx, purpose)
		if err != nil {
			return "", err // the prompt names the keys file
		}
	} else {
		p = os.Getenv(EnvPassphrase)
		if p == "" {
			return "", fmt.Errorf("keys: %w: the keys are in a passphrase-protected file (no system keyring); set %s or enter it when asked", ErrPassphraseRequired, EnvPassphrase)
		}
	}
	if purpose == PurposeCreate {
		if err := CheckPassphrase(p); err != nil {
			return "", fmt.Errorf("new passphrase for this profile's keys file: %w", err)
		}
	} else if p == "" {
		return "", fmt.Errorf("%w: the passphrase of this profile's keys file is empty", ErrPassphraseRequired)
	}
	return p, nil
}

// Backend describes where the keys are, for people: "system keyring (Secret
// Service)" or "passphrase file <path>".
func (k *Keys) Backend() string { return k.store.describe() }

// DataDir returns the absolute data dir the keys belong to.
func (k *Keys) DataDir() string { return k.dataDir }

// DeviceKey returns the device's secp256k1 private key.
func (k *Keys) DeviceKey() *ecdsa.PrivateKey { return k.device }

// DeviceAddress returns the device key's Ethereum address.
func (k *Keys) DeviceAddress() common.Address { return k.address }

// Identity returns the encryption identity.
func (k *Keys) Identity() *age.X25519Identity { return k.identity }

// EncryptionKey returns the identity's X25519 public key, as registered on
// chain.
func (k *Keys) EncryptionKey() [32]byte { return k.encKey }

// String describes k by its public keys only.
func (k *Keys) String() string {
	if k == nil {
		return "keys.Keys(nil)"
	}
	return fmt.Sprintf("keys.Keys(device %s, identity %s, %s)", k.address.Hex(), k.identity.Recipient(), k.Backend())
}

// GoString is like String, so that %#v doesn't reveal secrets.
func (k *Keys) GoString() string { return k.String() }

var secretNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

func checkSecretName(name string) error {
	if !secretNameRe.MatchString(name) {
		return fmt.Errorf("keys: invalid secret name %q: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// Secret returns the named secret, and whether it exists.
func (k *Keys) Secret(name string) ([]byte, bool, error) {
	if err := checkSecretName(name); err != nil {
		return nil, false, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.store.secret(context.Background(), name)
}

// SetSecret stores value under name, replacing any previous value. value is
// at most [MaxSecretSize] bytes.
func (k *Keys) SetSecret(name string, value []byte) error {
	if err := checkSecretName(name); err != nil {
		return err
	}
	if len(value) > MaxSecretSize {
		return fmt.Errorf("keys: secret %s is %d bytes, more than the %d allowed", name, len(value), MaxSecretSize)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.store.setSecret(context.Background(), name, value)
}

// DeleteSecret deletes the named secret. Deleting a secret that doesn't exist
// is not an error.
func (k *Keys) DeleteSecret(name string) error {
	if err := checkSecretName(name); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.store.deleteSecret(context.Background(), name)
}

// Export writes a backup of all keys and named secrets to w: an armored age
// file encrypted to passphrase (see the package documentation). passphrase
// must pass [CheckPassphrase].
func (k *Keys) Export(w io.Writer, passphrase string) error {
	if err := CheckPassphrase(passphrase); err != nil {
		return fmt.Errorf("keys: backup passphrase: %w", err)
	}
	k.mu.Lock()
	secrets, err := k.store.secrets(context.Background())
	k.mu.Unlock()
	if err != nil {
		return fmt.Errorf("keys: export: %w", err)
	}
	b := newBundle(&material{device: k.device, identity: k.identity}, secrets)
	if err := writeBundle(w, b, passphrase, true); err != nil {
		return fmt.Errorf("keys: export: %w", err)
	}
	return nil
}
