// Package keys keeps the secrets of one DataShare profile (data dir): the
// device key, the encryption identity, and small named secrets such as
// WalletConnect session keys.
//
// Most callers need only [Open], at start-up, which loads the keys of a data
// dir or, on its first start, creates them; and [Keys.Export] / [Import] for
// backups:
//
//	k, err := keys.Open(ctx, keys.Options{DataDir: dir, Passphrase: ask})
//	k.DeviceAddress()  // the device key's Ethereum address
//	k.EncryptionKey()  // the X25519 public key registered on chain
//
// [ReadStatus] shows a data dir's backend, address and encryption key without
// unlocking anything.
//
// # What is kept
//
//   - The device key, a secp256k1 key ([Keys.DeviceKey], [Keys.DeviceAddress])
//     that signs what the user approves on this computer.
//   - The encryption identity, an age X25519 identity ([Keys.Identity]). Its
//     public half ([Keys.EncryptionKey]) is registered on chain; everything
//     shared with the account is encrypted to it. Losing it loses access to
//     all of that, for good: back it up.
//   - Named secrets ([Keys.SetSecret]), each at most [MaxSecretSize] bytes.
//
// # Where
//
// Where a system keyring is available — the Secret Service on Linux (GNOME
// Keyring, KWallet, KeePassXC), the Keychain on macOS, the Credential Manager
// on Windows — every secret is one keyring item of service "DataShare" and
// user "<item>@<id>", where <id> is a short hash of the data dir's absolute
// path, taken when the keys were created, so that two profiles never
// collide. The items are "device-key" (hex), "identity" (AGE-SECRET-KEY-1...),
// "index" (the names of the named secrets) and "secret.<name>" (base64). On
// Linux, for example:
//
//	secret-tool lookup service DataShare username identity@<id>
//
// Where there is none — no D-Bus session bus, no Secret Service on it, the
// keyring fails on first start, or [Options.NoKeyring] — all secrets are kept
// in one file, <DataDir>/keys.age, encrypted with age to a passphrase (scrypt).
// The passphrase is asked through [Options.Passphrase] or taken from the
// environment variable DATASHARE_PASSPHRASE; [PassphraseFromEnvOrPrompt] does
// both for a terminal. The file is replaced atomically on every change and is
// never written in plaintext. The package never starts a D-Bus session bus of
// its own.
//
// <DataDir>/keys.json holds no secret: the backend, the keyring id, the
// device address and the encryption public key. A data dir keeps the backend
// it was created with: if its keyring items disappear, Open fails with
// [ErrKeysMissing] rather than make a new identity. If keys.json itself is
// lost, Open finds the keys again (the keys file, or the keyring items of a
// data dir at the same path) instead of making new ones.
//
// # Backup
//
// [Keys.Export] writes a backup: an armored age file encrypted to a
// passphrase (the age tool can open it: "age -d backup.age"), holding the
// device key, the identity and the named secrets as JSON. [Import] restores
// one into a data dir. For a passphrase-file profile, a copy of keys.age is
// a backup too, as long as its passphrase is remembered, and Import accepts
// it. Copying a keyring profile's data dir copies no key.
//
// # Handling
//
// Secrets never appear in errors, logs or fmt output ([Keys.String] shows
// only public keys), and are on disk only encrypted. They live in memory
// while a [Keys] is in use; for the passphrase file, so does the passphrase,
// to re-encrypt the file on changes.
package keys
