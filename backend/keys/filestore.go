package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

func fileDescription(path string) string { return "passphrase file " + path }

// fileStore keeps everything in one age scrypt-encrypted file. The decrypted
// bundle and the passphrase stay in memory to rewrite the file on changes.
type fileStore struct {
	path       string
	passphrase string
	b          *bundle
}

func (s *fileStore) describe() string { return fileDescription(s.path) }

func (s *fileStore) secret(_ context.Context, name string) ([]byte, bool, error) {
	if _, ok := s.b.Secrets[name]; !ok {
		return nil, false, nil
	}
	v, err := s.b.secret(name)
	if err != nil {
		return nil, false, fmt.Errorf("keys: secret %s: %w", name, err)
	}
	return v, true, nil
}

func (s *fileStore) setSecret(_ context.Context, name string, value []byte) error {
	return s.change(func(b *bundle) {
		b.Secrets[name] = encodeSecret(value)
	})
}

func (s *fileStore) deleteSecret(_ context.Context, name string) error {
	if _, ok := s.b.Secrets[name]; !ok {
		return nil
	}
	return s.change(func(b *bundle) { delete(b.Secrets, name) })
}

func (s *fileStore) secrets(context.Context) (map[string][]byte, error) {
	return s.b.secretMap()
}

// change applies f to a copy of the bundle, writes it, and keeps it only if
// the write succeeded.
func (s *fileStore) change(f func(*bundle)) error {
	nb := *s.b
	nb.Secrets = maps.Clone(s.b.Secrets)
	if nb.Secrets == nil {
		nb.Secrets = map[string]string{}
	}
	f(&nb)
	if err := s.save(&nb); err != nil {
		return err
	}
	s.b = &nb
	return nil
}

func (s *fileStore) save(b *bundle) error {
	data, err := encryptBundle(b, s.passphrase)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if err := writeFileAtomic(s.path, data); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

// openFile opens, or on first start creates, the keys file of dir.
func openFile(ctx context.Context, dir string, opts Options, md *meta) (*Keys, error) {
	path := filepath.Join(dir, storeFileName)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if md != nil {
			return nil, fmt.Errorf("keys: %w: %s records device %s, but the keys file %s is gone; restore it, or import a backup", ErrKeysMissing, filepath.Join(dir, metaFileName), md.DeviceAddress, path)
		}
		return createFile(ctx, dir, opts, nil, nil)
	case err != nil:
		return nil, fmt.Errorf("keys: read %s: %w", path, err)
	}
	pass, err := passphrase(ctx, opts, PurposeUnlock)
	if err != nil {
		return nil, err
	}
	b, m, err := readBundle(bytes.NewReader(data), pass, "keys: keys file "+path)
	if err != nil {
		return nil, err
	}
	if md != nil && !md.matches(m) {
		return nil, fmt.Errorf("keys: %w: %s holds device %s, but %s records device %s", ErrCorrupt, path, m.address().Hex(), metaFileName, md.DeviceAddress)
	}
	if md == nil || md.Backend != backendFile {
		if err := writeMeta(dir, newMeta(backendFile, "", m)); err != nil {
			return nil, err
		}
	}
	if b.Secrets == nil {
		b.Secrets = map[string]string{}
	}
	return newKeys(dir, m, &fileStore{path: path, passphrase: pass, b: b}), nil
}

// createFile writes a new keys file for dir holding m (new keys if nil) and
// secrets, asking for a new passphrase, and records it in keys.json.
func createFile(ctx context.Context, dir string, opts Options, m *material, secrets map[string][]byte) (*Keys, error) {
	pass, err := passphrase(ctx, opts, PurposeCreate)
	if err != nil {
		return nil, err
	}
	if m == nil {
		if m, err = generateMaterial(); err != nil {
			return nil, err
		}
	}
	s := &fileStore{path: filepath.Join(dir, storeFileName), passphrase: pass}
	b := newBundle(m, secrets)
	if err := s.save(b); err != nil {
		return nil, err
	}
	s.b = b
	if err := writeMeta(dir, newMeta(backendFile, "", m)); err != nil {
		return nil, err
	}
	return newKeys(dir, m, s), nil
}

// sortedNames returns the keys of m, sorted.
func sortedNames[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
