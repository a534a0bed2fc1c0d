package keys

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Import restores a backup written by [Keys.Export] (or a copy of a keys
// file) into the store of opts.DataDir, and returns the keys, opened.
//
// Into a data dir without keys, the backup is written as on a first start:
// to the system keyring if there is one, else to a new keys file (asking
// for its passphrase with PurposeCreate). Into a data dir that has the same
// keys, the named secrets it lacks are added. A data dir with different keys
// is left alone (ErrExistingKeys) unless replace is set: then its device key,
// encryption identity and named secrets are overwritten — and lost, unless
// backed up. With replace, the current keys file needs no passphrase, so a
// backup restores a profile whose passphrase was forgotten; and with replace
// and opts.NoKeyring, a keyring profile moves to a keys file.
func Import(ctx context.Context, opts Options, r io.Reader, passphrase string, replace bool) (*Keys, error) {
	if passphrase == "" {
		return nil, fmt.Errorf("keys: import: %w for the backup", ErrPassphraseRequired)
	}
	b, m, err := readBundle(r, passphrase, "keys: import backup")
	if err != nil {
		return nil, err
	}
	secrets, err := b.secretMap()
	if err != nil {
		return nil, fmt.Errorf("keys: import backup: %w: %v", ErrCorrupt, err)
	}
	dir, err := prepareDataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	md, err := readMeta(dir)
	if err != nil && !replace {
		return nil, err
	}
	if err != nil {
		md = nil // replace a damaged keys.json too
	}
	differ := func(addr string) error {
		return fmt.Errorf("keys: import: %w: %s has device %s, the backup device %s. "+
			"Replacing them would lose the current encryption identity, and with it access to everything shared with it, "+
			"unless it is backed up: export it first, then import with replace",
			ErrExistingKeys, dir, addr, m.address().Hex())
	}

	if md != nil && !replace {
		if !md.matches(m) {
			return nil, differ(md.DeviceAddress)
		}
		k, err := Open(ctx, opts)
		if err == nil {
			if err := k.addMissingSecrets(ctx, secrets); err != nil {
				return nil, err
			}
			return k, nil
		}
		if !errors.Is(err, ErrKeysMissing) {
			return nil, err
		}
		// The backup restores the keys the store lost.
	}

	useKeyring := false
	if !(replace && opts.NoKeyring) {
		// (With both, a keyring profile moves to a keys file.)
		if useKeyring, err = chooseBackend(ctx, dir, opts, md); err != nil {
			return nil, err
		}
	}
	if md == nil && !replace {
		// No keys.json: there may still be keys it would have recorded.
		if _, err := os.Stat(filepath.Join(dir, storeFileName)); err == nil {
			k, err := openFile(ctx, dir, opts, nil)
			if err != nil {
				return nil, fmt.Errorf("%w (to overwrite the existing keys file, import with replace)", err)
			}
			if !k.sameAs(m) {
				return nil, differ(k.address.Hex())
			}
			if err := k.addMissingSecrets(ctx, secrets); err != nil {
				return nil, err
			}
			return k, nil
		}
		if useKeyring {
			if old, err := loadKeyring(ctx, ring{dataDirID(dir)}); err == nil && old != nil && !old.sameAs(m) {
				return nil, differ(old.address().Hex())
			}
		}
	}

	if useKeyring {
		id := dataDirID(dir)
		if md != nil && md.Backend == backendKeyring {
			id = md.KeyringID
		}
		k, err := createKeyring(ctx, dir, id, m, secrets, replace)
		var fe *fallbackError
		if !errors.As(err, &fe) {
			return k, err
		}
		if md != nil && md.Backend == backendKeyring {
			return nil, fmt.Errorf("keys: import: %w", fe.err)
		}
	}
	return createFile(ctx, dir, opts, m, secrets)
}

func (k *Keys) sameAs(m *material) bool {
	return k.address == m.address() && k.encKey == m.encryptionKey()
}

// addMissingSecrets stores those of secrets that k lacks.
func (k *Keys) addMissingSecrets(ctx context.Context, secrets map[string][]byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	have, err := k.store.secrets(ctx)
	if err != nil {
		return err
	}
	missing := map[string][]byte{}
	for name, v := range secrets {
		if _, ok := have[name]; !ok {
			missing[name] = v
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if fs, ok := k.store.(*fileStore); ok {
		// One rewrite of the file, not one per secret.
		return fs.change(func(b *bundle) {
			for name, v := range missing {
				b.Secrets[name] = encodeSecret(v)
			}
		})
	}
	for _, name := range sortedNames(missing) {
		if err := k.store.setSecret(ctx, name, missing[name]); err != nil {
			return err
		}
	}
	return nil
}
