package keys

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/zalando/go-keyring"
)

const (
	keyringService = "DataShare"

	itemDevice   = "device-key"
	itemIdentity = "identity"
	itemIndex    = "index"
	itemSecret   = "secret." // + name

	// maxIndexSize keeps the index item inside every platform's limit.
	maxIndexSize = 2000
)

var keyringIDRe = regexp.MustCompile(`^[0-9a-f]{8,64}$`)

// keyringTimeout bounds every keyring call. Generous: the keyring may ask
// the user to unlock it.
var keyringTimeout = 30 * time.Second

// fallbackError reports that the keyring failed on a first start, so the
// passphrase file is to be used instead.
type fallbackError struct{ err error }

func (e *fallbackError) Error() string { return "system keyring failed: " + e.err.Error() }
func (e *fallbackError) Unwrap() error { return e.err }

// ring is the keyring items of one data dir.
type ring struct{ id string }

func (r ring) user(item string) string { return item + "@" + r.id }

// call runs f, a go-keyring call, bounded by ctx and keyringTimeout. It
// refuses to run when the session bus is gone, so that the D-Bus library
// never starts a bus of its own. On timeout f is abandoned, still blocked.
func keyringCall(ctx context.Context, f func() error) error {
	if err := keyringGuard(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, keyringTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer from the system keyring: %w", ctx.Err())
	}
}

func (r ring) get(ctx context.Context, item string) (string, bool, error) {
	var v string
	err := keyringCall(ctx, func() (err error) {
		v, err = keyring.Get(keyringService, r.user(item))
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s from the system keyring: %w", r.user(item), err)
	}
	return v, true, nil
}

func (r ring) set(ctx context.Context, item, value string) error {
	err := keyringCall(ctx, func() error { return keyring.Set(keyringService, r.user(item), value) })
	if err != nil {
		return fmt.Errorf("write %s to the system keyring: %w", r.user(item), err)
	}
	return nil
}

// setChecked is set followed by reading the value back.
func (r ring) setChecked(ctx context.Context, item, value string) error {
	if err := r.set(ctx, item, value); err != nil {
		return err
	}
	got, ok, err := r.get(ctx, item)
	if err != nil {
		return err
	}
	if !ok || got != value {
		return fmt.Errorf("the system keyring did not keep %s", r.user(item))
	}
	return nil
}

func (r ring) del(ctx context.Context, item string) error {
	err := keyringCall(ctx, func() error { return keyring.Delete(keyringService, r.user(item)) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("delete %s from the system keyring: %w", r.user(item), err)
	}
	return nil
}

// index returns the names of the named secrets.
func (r ring) index(ctx context.Context) ([]string, error) {
	v, ok, err := r.get(ctx, itemIndex)
	if err != nil || !ok {
		return nil, err
	}
	var names []string
	if err := json.Unmarshal([]byte(v), &names); err != nil {
		return nil, fmt.Errorf("%w: keyring item %s is not a list of names", ErrCorrupt, r.user(itemIndex))
	}
	return names, nil
}

func (r ring) setIndex(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return r.del(ctx, itemIndex)
	}
	slices.Sort(names)
	v, err := json.Marshal(slices.Compact(names))
	if err != nil {
		return err
	}
	if len(v) > maxIndexSize {
		return errors.New("too many named secrets for the system keyring")
	}
	return r.set(ctx, itemIndex, string(v))
}

// keyringStore keeps every secret in its own keyring item.
type keyringStore struct{ r ring }

func (s *keyringStore) describe() string { return keyringDescription }

func (s *keyringStore) secret(ctx context.Context, name string) ([]byte, bool, error) {
	v, ok, err := s.r.get(ctx, itemSecret+name)
	if err != nil || !ok {
		return nil, false, wrapKeyring(err)
	}
	b, err := decodeSecret(v)
	if err != nil {
		return nil, false, fmt.Errorf("keys: %w: keyring item %s: %v", ErrCorrupt, s.r.user(itemSecret+name), err)
	}
	return b, true, nil
}

func (s *keyringStore) setSecret(ctx context.Context, name string, value []byte) error {
	names, err := s.r.index(ctx)
	if err != nil {
		return wrapKeyring(err)
	}
	if !slices.Contains(names, name) {
		// Index first: a name without an item is harmless, an item
		// missing from the index would be left out of backups.
		if err := s.r.setIndex(ctx, append(names, name)); err != nil {
			return wrapKeyring(err)
		}
	}
	return wrapKeyring(s.r.set(ctx, itemSecret+name, encodeSecret(value)))
}

func (s *keyringStore) deleteSecret(ctx context.Context, name string) error {
	if err := s.r.del(ctx, itemSecret+name); err != nil {
		return wrapKeyring(err)
	}
	names, err := s.r.index(ctx)
	if err != nil {
		return wrapKeyring(err)
	}
	if i := slices.Index(names, name); i >= 0 {
		return wrapKeyring(s.r.setIndex(ctx, slices.Delete(names, i, i+1)))
	}
	return nil
}

func (s *keyringStore) secrets(ctx context.Context) (map[string][]byte, error) {
	names, err := s.r.index(ctx)
	if err != nil {
		return nil, wrapKeyring(err)
	}
	out := make(map[string][]byte, len(names))
	for _, name := range names {
		v, ok, err := s.secret(ctx, name)
		if err != nil {
			return nil, err
		}
		if ok {
			out[name] = v
		}
	}
	return out, nil
}

func wrapKeyring(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("keys: %w", err)
}

// openKeyring loads dir's keys from the keyring or, when keys.json doesn't
// exist yet, creates them there (keeping any that a lost keys.json left
// behind). On a first start that fails it returns a *fallbackError.
func openKeyring(ctx context.Context, dir string, md *meta) (*Keys, error) {
	if md == nil {
		return createKeyring(ctx, dir, dataDirID(dir), nil, nil, false)
	}
	r := ring{md.KeyringID}
	m, err := loadKeyring(ctx, r)
	if errors.Is(err, ErrCorrupt) {
		return nil, fmt.Errorf("keys: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: %w: %w", ErrKeyringUnavailable, err)
	}
	if m == nil {
		return nil, fmt.Errorf("keys: %w: %s records device %s, whose keys were in the system keyring as %s, but the keyring no longer has them "+
			"(was the keyring reset, or the data dir copied from another user or machine?). Restore a backup with import; "+
			"new keys are not made, since that would lose access to everything shared with the old ones",
			ErrKeysMissing, filepath.Join(dir, metaFileName), md.DeviceAddress, r.user("*"))
	}
	if !md.matches(m) {
		return nil, fmt.Errorf("keys: %w: the system keyring holds device %s for %s, but %s records device %s",
			ErrCorrupt, m.address().Hex(), r.user("*"), metaFileName, md.DeviceAddress)
	}
	return newKeys(dir, m, &keyringStore{r}), nil
}

// loadKeyring reads the device key and identity of r; it returns nil, nil
// if either is missing.
func loadKeyring(ctx context.Context, r ring) (*material, error) {
	dev, devOK, err := r.get(ctx, itemDevice)
	if err != nil {
		return nil, err
	}
	id, idOK, err := r.get(ctx, itemIdentity)
	if err != nil {
		return nil, err
	}
	if !devOK || !idOK {
		return nil, nil
	}
	var m material
	if m.device, err = parseDeviceKey(dev); err != nil {
		return nil, fmt.Errorf("%w: keyring item %s: %v", ErrCorrupt, r.user(itemDevice), err)
	}
	if m.identity, err = parseIdentity(id); err != nil {
		return nil, fmt.Errorf("%w: keyring item %s: %v", ErrCorrupt, r.user(itemIdentity), err)
	}
	return &m, nil
}

// createKeyring stores keys for dir in the keyring, as items "<item>@id",
// and records them in keys.json. With m == nil it keeps the keys the keyring
// already has for id, or generates new ones if it has none; otherwise it
// writes m and secrets, replacing what is there (and, with replace, dropping
// the named secrets that are not in secrets). Keyring failures return a
// *fallbackError, after removing what was written.
func createKeyring(ctx context.Context, dir, id string, m *material, secrets map[string][]byte, replace bool) (*Keys, error) {
	r := ring{id}
	fail := func(err error) (*Keys, error) { return nil, &fallbackError{err} }
	var written []string
	undo := func() {
		for _, item := range written {
			_ = r.del(ctx, item)
		}
	}
	adopted := false
	if m == nil {
		old, err := loadKeyring(ctx, r)
		if err != nil {
			return fail(err)
		}
		if old != nil {
			m, adopted = old, true
		} else if m, err = generateMaterial(); err != nil {
			return nil, err
		}
	}
	oldNames, err := r.index(ctx)
	if err != nil {
		return fail(err)
	}
	type item struct{ name, value string }
	var items []item
	if !adopted {
		// Never rewritten when adopted, so that undo can't remove them.
		items = append(items,
			item{itemDevice, deviceKeyHex(m.device)},
			item{itemIdentity, m.identity.String()})
	}
	for _, name := range sortedNames(secrets) {
		items = append(items, item{itemSecret + name, encodeSecret(secrets[name])})
	}
	for _, it := range items {
		if err := r.setChecked(ctx, it.name, it.value); err != nil {
			undo()
			return fail(err)
		}
		written = append(written, it.name)
	}
	names := sortedNames(secrets)
	if !replace {
		names = append(names, oldNames...)
	} else {
		for _, name := range oldNames {
			if _, ok := secrets[name]; !ok {
				_ = r.del(ctx, itemSecret+name)
			}
		}
	}
	if err := r.setIndex(ctx, names); err != nil {
		undo()
		return fail(err)
	}
	if err := writeMeta(dir, newMeta(backendKeyring, r.id, m)); err != nil {
		return nil, err
	}
	return newKeys(dir, m, &keyringStore{r}), nil
}
