// Package link makes and reads DataShare share links.
//
// A share link lets someone open one dataset without an account or a registered encryption
// key. It names the network (chain id), the DataShare contract and the dataset, and carries a
// random 32-byte secret:
//
//	datashare://1337/0x5FbDB2315678afecb367f032d93F642f64180aa3/7#AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8
//
// The secret derives, with HKDF-SHA256 and a distinct label for each, a secp256k1 account
// ([Link.Address]) and an age X25519 identity ([Link.Identity]). The owner grants the dataset
// to that account with an envelope sealed to that identity's public key, so a link is an
// ordinary on-chain grant: it is audited, listed with the other grantees, and revoked for
// future versions like any account. Whoever holds the link finds the grant of the derived
// account on chain and opens its envelope with the derived identity.
//
// Most callers need [New] (the owner, making a link), [Parse] (anyone, opening one) and
// [Link.URL] (to show it). The secret is the whole of a link's power: [Link.String] and
// every error of this package leave it out, and [Link.Seal] keeps it encrypted at rest.
package link

import (
	"bytes"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/seal"
)

// Scheme is the URL scheme of share links.
const Scheme = "datashare"

// SecretSize is the length of a link secret in bytes.
const SecretSize = 32

// Labels of the key derivation: each derived key has its own, so one never reveals the other.
const (
	labelAccount  = "datashare link v1: grantee account"
	labelIdentity = "datashare link v1: encryption identity"
)

// ErrMalformed is matched (errors.Is) by every error of [Parse] and [Open]: the text is not a
// whole, valid share link.
var ErrMalformed = errors.New("malformed share link")

// A Link is a share link of one dataset. Its String method leaves out the secret.
type Link struct {
	ChainID  uint64         // network the dataset is on
	Contract common.Address // the DataShare contract that records it
	Dataset  uint64         // dataset id in that contract

	secret   [SecretSize]byte
	address  common.Address
	identity *age.X25519Identity
}

// New makes a link to a dataset with a fresh random secret.
func New(chainID uint64, contract common.Address, dataset uint64) (*Link, error) {
	if chainID == 0 || dataset == 0 || contract == (common.Address{}) {
		return nil, errors.New("link: a link needs a chain id, a contract and a dataset id")
	}
	var s [SecretSize]byte
	if _, err := rand.Read(s[:]); err != nil {
		return nil, fmt.Errorf("link: read random bytes: %w", err)
	}
	return fromSecret(chainID, contract, dataset, s)
}

// fromSecret derives the link's account and identity from its secret.
func fromSecret(chainID uint64, contract common.Address, dataset uint64, s [SecretSize]byte) (*Link, error) {
	l := &Link{ChainID: chainID, Contract: contract, Dataset: dataset, secret: s}
	var err error
	if l.address, err = deriveAddress(s); err != nil {
		return nil, err
	}
	var x [32]byte
	if err := derive(s, labelIdentity, x[:]); err != nil {
		return nil, err
	}
	if l.identity, err = seal.IdentityFromBytes(x); err != nil {
		return nil, err
	}
	return l, nil
}

func derive(s [SecretSize]byte, label string, out []byte) error {
	b, err := hkdf.Key(sha256.New, s[:], nil, label, len(out))
	if err != nil {
		return errors.New("link: internal error: key derivation failed")
	}
	copy(out, b)
	return nil
}

// deriveAddress derives the grantee account: the first of the HKDF outputs labelled
// "<labelAccount> #n", n = 0, 1, ..., that is a valid secp256k1 private key (n > 0 happens with
// a probability of about 2^-128). Only the address is kept: nothing is ever signed with it.
func deriveAddress(s [SecretSize]byte) (common.Address, error) {
	for n := 0; n < 16; n++ {
		var b [32]byte
		if err := derive(s, fmt.Sprintf("%s #%d", labelAccount, n), b[:]); err != nil {
			return common.Address{}, err
		}
		if k, err := crypto.ToECDSA(b[:]); err == nil {
			return crypto.PubkeyToAddress(k.PublicKey), nil
		}
	}
	return common.Address{}, errors.New("link: internal error: no account key derived")
}

// Address is the account the dataset is granted to for this link.
func (l *Link) Address() common.Address { return l.address }

// Identity is the encryption identity that opens the link's key envelopes. It is secret.
func (l *Link) Identity() *age.X25519Identity { return l.identity }

// PublicKey is the raw X25519 public key the owner seals the link's envelopes to.
func (l *Link) PublicKey() [32]byte { return seal.PublicKeyBytes(l.identity) }

// URL is the whole link, secret included: show it only to the person who shares it.
func (l *Link) URL() string {
	return l.prefix() + "#" + base64.RawURLEncoding.EncodeToString(l.secret[:])
}

// prefix is the link without its secret: which dataset of which network.
func (l *Link) prefix() string {
	return fmt.Sprintf("%s://%d/%s/%d", Scheme, l.ChainID, l.Contract.Hex(), l.Dataset)
}

// String describes the link without its secret, naming it by its account.
func (l *Link) String() string {
	if l == nil {
		return "link.Link(nil)"
	}
	return l.prefix() + "#… (account " + l.address.Hex() + ")"
}

// GoString is like String, so that %#v does not reveal the secret either.
func (l *Link) GoString() string { return l.String() }

// Equal reports whether two links are the same link.
func (l *Link) Equal(o *Link) bool {
	return l != nil && o != nil && l.ChainID == o.ChainID && l.Contract == o.Contract && l.Dataset == o.Dataset && l.secret == o.secret
}

// malformed is an error of Parse: a sentence for the user that matches ErrMalformed.
type malformed string

func (e malformed) Error() string        { return string(e) }
func (e malformed) Is(target error) bool { return target == ErrMalformed }

// form is how a link is written, for error messages.
const form = Scheme + "://NETWORK/CONTRACT/DATASET#SECRET"

// Parse reads a share link as a person pasted it (surrounding spaces are ignored). Errors are
// sentences that quote the link only up to its secret, and match [ErrMalformed].
func Parse(s string) (*Link, error) {
	s = strings.TrimSpace(s)
	head, secret, hasSecret := strings.Cut(s, "#")
	shown := quote(head)
	rest, ok := cutPrefixFold(head, Scheme+"://")
	if !ok {
		return nil, malformed(fmt.Sprintf("%s is not a DataShare link: a link starts with %s://", shown, Scheme))
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return nil, malformed(fmt.Sprintf("%s is not a whole DataShare link: a link looks like %s; copy the whole link", shown, form))
	}
	chainID, ok := number(parts[0])
	if !ok {
		return nil, malformed(fmt.Sprintf("%s is damaged: %q is not a network (chain id); copy the whole link again", shown, parts[0]))
	}
	contract, err := config.ParseAddress(parts[1])
	if err != nil || contract == (common.Address{}) {
		return nil, malformed(fmt.Sprintf("%s is damaged: %q is not a contract address; copy the whole link again", shown, parts[1]))
	}
	dataset, ok := number(parts[2])
	if !ok {
		return nil, malformed(fmt.Sprintf("%s is damaged: %q is not a dataset id; copy the whole link again", shown, parts[2]))
	}
	if !hasSecret || secret == "" {
		return nil, malformed(fmt.Sprintf("%s has no secret (the part after #): copy the whole link, with what follows the #", shown))
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != SecretSize {
		return nil, malformed(fmt.Sprintf("the secret of the link %s (the part after #) is damaged or cut short: copy the whole link again", shown))
	}
	return fromSecret(chainID, contract, dataset, [SecretSize]byte(raw))
}

// quote shows the part of a link before its secret, shortened if it is long.
func quote(head string) string {
	const max = 120
	if len(head) > max {
		head = head[:max] + "…"
	}
	return strconv.Quote(head)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// number parses a whole number from 1, written without sign or leading zeros.
func number(s string) (uint64, bool) {
	if s == "" || s[0] == '0' || len(s) > 19 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// Seal encrypts the link to an age recipient (the owner's own encryption identity), so a
// profile can keep the links it made and show them again without the secret on disk in
// plaintext.
func (l *Link) Seal(to age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to)
	if err != nil {
		return nil, fmt.Errorf("link: seal: %w", err)
	}
	if _, err := io.WriteString(w, l.URL()); err != nil {
		return nil, fmt.Errorf("link: seal: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("link: seal: %w", err)
	}
	return buf.Bytes(), nil
}

// maxSealed bounds what Open reads: a sealed link is about 400 bytes.
const maxSealed = 4096

// Open decrypts a link made by [Link.Seal] with the identity it was sealed to. Errors wrap
// [seal.ErrWrongKey] when it was sealed to another identity, else [ErrMalformed].
func Open(sealed []byte, id age.Identity) (*Link, error) {
	if len(sealed) > maxSealed {
		return nil, fmt.Errorf("link: open a sealed link: %w: %d bytes", ErrMalformed, len(sealed))
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("link: open a sealed link: %w", seal.ErrWrongKey)
		}
		return nil, fmt.Errorf("link: open a sealed link: %w: %v", ErrMalformed, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSealed))
	if err != nil {
		return nil, fmt.Errorf("link: open a sealed link: %w: %v", ErrMalformed, err)
	}
	l, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("link: open a sealed link: %w", ErrMalformed) // not err: it quotes the link
	}
	return l, nil
}
