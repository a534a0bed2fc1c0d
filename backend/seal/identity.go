package seal

import (
	"errors"
	"strings"

	"filippo.io/age"

	"github.com/datashare/datashare/backend/seal/internal/bech32"
)

// IdentityFromBytes returns the age X25519 identity whose secret scalar is secret, for keys
// derived from another secret (a share link's secret derives one, see package link). The same
// bytes always give the same identity; its public key is what [PublicKeyBytes] returns.
//
// secret must be uniformly random (the output of a key derivation function): X25519 clamps it,
// so any 32 bytes are a valid scalar. The error never describes secret.
func IdentityFromBytes(secret [32]byte) (*age.X25519Identity, error) {
	s, err := bech32.Encode("age-secret-key-", secret[:])
	if err != nil {
		return nil, errors.New("seal: internal error: encoding a derived identity")
	}
	id, err := age.ParseX25519Identity(strings.ToUpper(s))
	if err != nil {
		return nil, errors.New("seal: internal error: parsing a derived identity")
	}
	return id, nil
}
