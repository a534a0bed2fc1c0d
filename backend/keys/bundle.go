package keys

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// scryptWorkFactor is the log2 of the scrypt cost for new keys files and
// backups: age's default (about a second). Tests lower it.
var scryptWorkFactor = 18

const (
	bundleFormat  = "datashare-keys"
	bundleVersion = 1
	// maxBundleSize bounds the plaintext of a keys file or backup.
	maxBundleSize = 1 << 20
)

// bundle is the plaintext of the keys file and of a backup, as JSON.
type bundle struct {
	Format        string            `json:"format"`
	Version       int               `json:"version"`
	Created       time.Time         `json:"created"`
	DeviceAddress string            `json:"device_address"`
	DeviceKey     string            `json:"device_key"` // hex secp256k1 private key
	Identity      string            `json:"identity"`   // AGE-SECRET-KEY-1...
	Secrets       map[string]string `json:"secrets"`    // name → base64(value)
}

func newBundle(m *material, secrets map[string][]byte) *bundle {
	b := &bundle{
		Format:        bundleFormat,
		Version:       bundleVersion,
		Created:       time.Now().UTC().Truncate(time.Second),
		DeviceAddress: m.address().Hex(),
		DeviceKey:     deviceKeyHex(m.device),
		Identity:      m.identity.String(),
		Secrets:       make(map[string]string, len(secrets)),
	}
	for name, v := range secrets {
		b.Secrets[name] = encodeSecret(v)
	}
	return b
}

func encodeSecret(v []byte) string { return base64.StdEncoding.EncodeToString(v) }

func decodeSecret(s string) ([]byte, error) {
	v, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("secret is not valid base64")
	}
	return v, nil
}

// material parses and checks the keys in b. Errors never quote secrets.
func (b *bundle) material() (*material, error) {
	if b.Format != bundleFormat {
		return nil, errors.New("not a DataShare keys file or backup")
	}
	if b.Version != bundleVersion {
		return nil, fmt.Errorf("unsupported version %d (this DataShare knows version %d)", b.Version, bundleVersion)
	}
	dev, err := parseDeviceKey(b.DeviceKey)
	if err != nil {
		return nil, err
	}
	id, err := parseIdentity(b.Identity)
	if err != nil {
		return nil, err
	}
	m := &material{device: dev, identity: id}
	if m.address().Hex() != b.DeviceAddress {
		return nil, errors.New("device key does not match the recorded device address")
	}
	for name, v := range b.Secrets {
		if err := checkSecretName(name); err != nil {
			return nil, errors.New("invalid secret name")
		}
		if _, err := b.secret(name); err != nil || len(v) > base64.StdEncoding.EncodedLen(MaxSecretSize) {
			return nil, fmt.Errorf("secret %s is not valid", name)
		}
	}
	return m, nil
}

func (b *bundle) secret(name string) ([]byte, error) { return decodeSecret(b.Secrets[name]) }

func (b *bundle) secretMap() (map[string][]byte, error) {
	out := make(map[string][]byte, len(b.Secrets))
	for name := range b.Secrets {
		v, err := b.secret(name)
		if err != nil {
			return nil, fmt.Errorf("secret %s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// writeBundle encrypts b to passphrase with age scrypt and writes it to w,
// armored if asked.
func writeBundle(w io.Writer, b *bundle, passphrase string, armored bool) error {
	plain, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode keys: %w", err)
	}
	defer clear(plain)
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return fmt.Errorf("passphrase: %w", err)
	}
	r.SetWorkFactor(scryptWorkFactor)
	dst := w
	var aw io.WriteCloser
	if armored {
		aw = armor.NewWriter(w)
		dst = aw
	}
	ew, err := age.Encrypt(dst, r)
	if err != nil {
		return fmt.Errorf("encrypt keys: %w", err)
	}
	if _, err := ew.Write(plain); err != nil {
		return fmt.Errorf("encrypt keys: %w", err)
	}
	if err := ew.Close(); err != nil {
		return fmt.Errorf("encrypt keys: %w", err)
	}
	if aw != nil {
		if err := aw.Close(); err != nil {
			return fmt.Errorf("encrypt keys: %w", err)
		}
	}
	return nil
}

// encryptBundle is writeBundle to memory, binary.
func encryptBundle(b *bundle, passphrase string) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeBundle(&buf, b, passphrase, false); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readBundle decrypts a keys file or backup, armored or not. what names the
// source in errors ("keys file /x/keys.age", "backup"). Errors wrap
// ErrWrongPassphrase or ErrCorrupt, and never quote the plaintext.
func readBundle(r io.Reader, passphrase, what string) (*bundle, *material, error) {
	br := bufio.NewReader(io.LimitReader(r, 4*maxBundleSize))
	var src io.Reader = br
	if start, _ := br.Peek(len(armor.Header)); string(start) == armor.Header {
		src = armor.NewReader(br)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, ErrWrongPassphrase)
	}
	dr, err := age.Decrypt(src, id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			// A damaged recipient stanza looks the same: age can't tell.
			return nil, nil, fmt.Errorf("%s: %w (or the file is damaged, or is not encrypted with a passphrase)", what, ErrWrongPassphrase)
		}
		// Don't quote err: age's header errors can quote the input, which
		// might be a secret pasted into the wrong file.
		return nil, nil, fmt.Errorf("%s: %w: not an age-encrypted DataShare keys file or backup, or truncated", what, ErrCorrupt)
	}
	plain, err := io.ReadAll(io.LimitReader(dr, maxBundleSize+1))
	defer clear(plain)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %v", what, ErrCorrupt, err)
	}
	if len(plain) > maxBundleSize {
		return nil, nil, fmt.Errorf("%s: %w: larger than %d bytes", what, ErrCorrupt, maxBundleSize)
	}
	var b bundle
	if err := json.Unmarshal(plain, &b); err != nil {
		// Don't quote err: JSON errors can quote the plaintext.
		return nil, nil, fmt.Errorf("%s: %w: decrypted, but not a DataShare keys file or backup", what, ErrCorrupt)
	}
	m, err := b.material()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %v", what, ErrCorrupt, err)
	}
	return &b, m, nil
}
