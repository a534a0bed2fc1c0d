package walletconnect

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// Store keeps the client's small secrets: its Ed25519 relay identity and the current session
// (keys and metadata, one JSON record). *keys.Keys (the OS keyring or the passphrase file)
// satisfies it as is; MemoryStore keeps them for the life of the process only.
type Store interface {
	// Secret returns the named secret and whether it exists.
	Secret(name string) ([]byte, bool, error)
	// SetSecret stores value (at most 1024 bytes) under name.
	SetSecret(name string, value []byte) error
	// DeleteSecret deletes the named secret; deleting a missing one is not an error.
	DeleteSecret(name string) error
}

// Names of the secrets in the Store.
const (
	secretClientKey = "walletconnect-client-key" // Ed25519 seed, 32 bytes
	secretSession   = "walletconnect-session"    // sessionRecord, JSON
	maxRecordSize   = 1024
)

// MemoryStore is a Store in memory, for tests and for sessions that must not outlive the
// process.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

// Secret implements Store.
func (s *MemoryStore) Secret(name string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[name]
	return append([]byte(nil), v...), ok, nil
}

// SetSecret implements Store.
func (s *MemoryStore) SetSecret(name string, value []byte) error {
	if len(value) > maxRecordSize {
		return fmt.Errorf("secret %s is %d bytes, more than %d", name, len(value), maxRecordSize)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string][]byte)
	}
	s.m[name] = append([]byte(nil), value...)
	return nil
}

// DeleteSecret implements Store.
func (s *MemoryStore) DeleteSecret(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, name)
	return nil
}

// loadClientKey returns the persistent relay identity, making it on first use.
func loadClientKey(s Store) (ed25519.PrivateKey, error) {
	seed, ok, err := s.Secret(secretClientKey)
	if err != nil {
		return nil, fmt.Errorf("walletconnect: read client key: %w", err)
	}
	if ok && len(seed) == ed25519.SeedSize {
		return ed25519.NewKeyFromSeed(seed), nil
	}
	seed = make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	if err := s.SetSecret(secretClientKey, seed); err != nil {
		return nil, fmt.Errorf("walletconnect: save client key: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// hexKey is a symKey in JSON, as hex. It only ever goes to the Store.
type hexKey symKey

func (k hexKey) MarshalJSON() ([]byte, error) { return json.Marshal(hex.EncodeToString(k[:])) }

func (k *hexKey) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	if err != nil || len(d) != 32 {
		return errors.New("key is not 32 bytes of hex")
	}
	copy(k[:], d)
	return nil
}

// sessionRecord is the persisted session: everything needed to resume it after a restart.
type sessionRecord struct {
	V             int      `json:"v"`
	Topic         string   `json:"topic"`
	Key           hexKey   `json:"key"`
	PairingTopic  string   `json:"pairingTopic,omitempty"`
	PairingKey    *hexKey  `json:"pairingKey,omitempty"`
	PeerPublicKey string   `json:"peerPublicKey"`
	Peer          Metadata `json:"peer"`
	Accounts      []string `json:"accounts"` // CAIP-10, on our chain
	Account       string   `json:"account"`
	ChainID       uint64   `json:"chainId"`
	WalletChainID uint64   `json:"walletChainId,omitempty"`
	Expiry        int64    `json:"expiry"`
}

// encode makes the record fit a Store secret, dropping what can be dropped (the wallet's icon,
// description and URL, extra accounts) when it is too large.
func (r sessionRecord) encode() ([]byte, error) {
	r.V = 1
	r.Peer.Name = truncate(r.Peer.Name, 64)
	r.Peer.Description = ""
	for step := 0; ; step++ {
		b, err := json.Marshal(r)
		if err != nil || len(b) <= maxRecordSize {
			return b, err
		}
		switch step {
		case 0:
			r.Peer.Icons = nil
		case 1:
			r.Peer.URL = ""
		case 2:
			if len(r.Accounts) > 1 {
				r.Accounts = r.Accounts[:1]
			}
		default:
			return nil, fmt.Errorf("session record is %d bytes, more than %d", len(b), maxRecordSize)
		}
	}
}
