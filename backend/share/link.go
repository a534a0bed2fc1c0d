package share

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/link"
	"github.com/datashare/datashare/backend/seal"
)

// Share links (package link): a link carries a random secret that derives an account and an
// encryption key, so making a link is an ordinary grant to that account (grant), and opening
// one (FetchLink) needs no account and no registered key: the grant's envelope opens with the
// derived key. Like any grantee, a link receives the later versions an update makes, until it
// is revoked (RevokeLink); what it opened already cannot be taken back.
//
// The profile keeps the links it made in its index, sealed to its own encryption identity, so
// Links shows them again and an update can re-grant them; the secret is never on disk in
// plaintext and never in a log or an error.

// Link is a share link this profile made.
type Link struct {
	Dataset   uint64    `json:"dataset"`
	URL       string    `json:"url"`             // the whole link: whoever has it can open the dataset
	Account   string    `json:"account"`         // the account the link's grants go to (public, on chain)
	Label     string    `json:"label,omitempty"` // the owner's name for the link
	Version   uint64    `json:"version"`         // the newest version the link opens
	Current   bool      `json:"current"`         // it opens the current version
	Revoked   bool      `json:"revoked"`         // it gets no later versions
	TxHash    string    `json:"txHash,omitempty"`
	TxURL     string    `json:"txUrl,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// maxLabel is the longest link label, in bytes.
const maxLabel = 100

// CreateLink makes a share link of dataset id: a grant of its current version to the link's
// account, in one approval. label is the owner's name for it ("" for none), shown by Links and
// Access. Only the owner can make a link; nothing changes on a bad input.
func (s *Service) CreateLink(ctx context.Context, id uint64, label string) (Link, error) {
	label = strings.TrimSpace(label)
	if err := checkLabel(label); err != nil {
		return Link{}, err
	}
	if _, err := s.ownDataset(ctx, id, "make a share link of"); err != nil {
		return Link{}, err
	}
	l, err := link.New(s.network.ChainID, s.network.Contract, id)
	if err != nil {
		return Link{}, err
	}
	ident, err := s.identity("Link")
	if err != nil {
		return Link{}, err
	}
	sealed, err := l.Seal(ident.Recipient())
	if err != nil {
		return Link{}, err
	}
	// Recorded before the grant is asked for: a link whose grant is mined is never lost, even if
	// the app stops right then. A row whose grant never happened is not listed (Links).
	row := index.Link{DatasetID: id, Account: l.Address().Hex(), Label: label, Sealed: sealed, CreatedAt: time.Now()}
	if err := s.index.PutLink(ctx, row); err != nil {
		return Link{}, fmt.Errorf("record the link: %w", err)
	}
	res, err := s.grant(ctx, id, []grantee{{Address: l.Address(), Key: l.PublicKey(), Label: linkTitle(label)}})
	if err != nil {
		if acc, aerr := s.chain.Access(context.WithoutCancel(ctx), id, l.Address()); aerr == nil && acc.State == chain.AccessNone {
			_ = s.index.DeleteLink(context.WithoutCancel(ctx), id, row.Account) // nothing was granted: forget it
		}
		return Link{}, err
	}
	row.Version = res.Version
	if len(res.TxHashes) > 0 {
		row.TxHash = res.TxHashes[0]
	}
	if err := s.index.PutLink(ctx, row); err != nil {
		return Link{}, fmt.Errorf("the link was granted (transaction %s) but could not be recorded: %w", row.TxHash, err)
	}
	return Link{Dataset: id, URL: l.URL(), Account: row.Account, Label: label, Version: res.Version, Current: true,
		TxHash: row.TxHash, TxURL: s.network.TxURL(row.TxHash), CreatedAt: row.CreatedAt}, nil
}

func checkLabel(label string) error {
	if len(label) > maxLabel {
		return invalidf("a link label has at most %d bytes (this one has %d): shorten it", maxLabel, len(label))
	}
	if !utf8.ValidString(label) || strings.IndexFunc(label, unicode.IsControl) >= 0 {
		return invalid("a link label must be text without control characters (no tabs or line breaks)")
	}
	return nil
}

// linkTitle is how approvals and access lists name a link.
func linkTitle(label string) string {
	if label == "" {
		return "share link"
	}
	return fmt.Sprintf("share link %q", label)
}

// Links lists the share links this profile made of dataset id, oldest first, with what each
// opens now (from the chain). Each carries its whole URL: show it only to the owner.
func (s *Service) Links(ctx context.Context, id uint64) ([]Link, error) {
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.index.Links(ctx, id)
	if err != nil {
		return nil, err
	}
	ident, err := s.unlockIdentity(ctx)
	if err != nil {
		return nil, err
	}
	out := []Link{}
	for _, r := range rows {
		l, err := link.Open(r.Sealed, ident)
		if err != nil {
			if errors.Is(err, seal.ErrWrongKey) {
				continue // made with another encryption identity of this profile (replaced keys)
			}
			return nil, fmt.Errorf("open the link of dataset %d to %s: %w", id, r.Account, err)
		}
		acc, err := s.chain.Access(ctx, id, l.Address())
		if err != nil {
			return nil, fmt.Errorf("read the access of a link to dataset %d: %w", id, err)
		}
		if acc.Version == 0 {
			continue // its grant never happened (rejected, or the app stopped before it was sent)
		}
		out = append(out, Link{Dataset: id, URL: l.URL(), Account: r.Account, Label: r.Label, Version: acc.Version,
			Current: acc.Version == info.Version && acc.State != chain.AccessRevoked, Revoked: acc.State == chain.AccessRevoked,
			TxHash: r.TxHash, TxURL: s.network.TxURL(r.TxHash), CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// linkGrantee is the grantee of a share link this profile made, for an update's re-grant: ok
// is false when a is not the account of such a link.
func (s *Service) linkGrantee(ctx context.Context, id uint64, a common.Address) (_ grantee, ok bool, _ error) {
	r, err := s.index.LinkOf(ctx, id, a.Hex())
	if errors.Is(err, index.ErrNotFound) {
		return grantee{}, false, nil
	}
	if err != nil {
		return grantee{}, false, err
	}
	ident, err := s.identity("the re-grant to a share link")
	if err != nil {
		return grantee{}, false, err
	}
	l, err := link.Open(r.Sealed, ident)
	if err != nil {
		return grantee{}, false, fmt.Errorf("open the share link of dataset %d to %s: %w", id, a.Hex(), err)
	}
	return grantee{Address: a, Key: l.PublicKey(), Label: linkTitle(r.Label)}, true, nil
}

// linkTitles maps the accounts of the share links this profile made of dataset id to their
// titles (see linkTitle).
func (s *Service) linkTitles(ctx context.Context, id uint64) (map[string]string, error) {
	rows, err := s.index.Links(ctx, id)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for _, r := range rows {
		titles[r.Account] = linkTitle(r.Label)
	}
	return titles, nil
}

// markLinks names, in an access list, the grantees that are share links this profile made.
func (s *Service) markLinks(ctx context.Context, acc *DatasetAccess) error {
	titles, err := s.linkTitles(ctx, acc.Dataset)
	if err != nil {
		return err
	}
	for _, list := range [][]AccessGrantee{acc.Grantees, acc.Revoked} {
		for i := range list {
			list[i].Link = titles[list[i].Account]
		}
	}
	return nil
}

// markLinkEvents names, in a history, the accounts that are share links this profile made.
func (s *Service) markLinkEvents(ctx context.Context, id uint64, evs []Event) error {
	titles, err := s.linkTitles(ctx, id)
	if err != nil {
		return err
	}
	for i := range evs {
		evs[i].Link = titles[evs[i].Account]
	}
	return nil
}

// RevokeLink cuts a share link of dataset id off from every later version: the revoke of its
// account. What it opened already cannot be taken back: the result says so.
func (s *Service) RevokeLink(ctx context.Context, id uint64, rawLink string) (RevokeResult, error) {
	l, err := s.parseLink(rawLink)
	if err != nil {
		return RevokeResult{}, err
	}
	if l.Dataset != id {
		return RevokeResult{}, invalidf("this link is for dataset %d, not dataset %d: check the dataset id", l.Dataset, id)
	}
	if _, err := s.ownDataset(ctx, id, "revoke a share link of"); err != nil {
		return RevokeResult{}, err
	}
	acc, err := s.chain.Access(ctx, id, l.Address())
	if err != nil {
		return RevokeResult{}, fmt.Errorf("read the access of the link to dataset %d: %w", id, err)
	}
	switch acc.State {
	case chain.AccessNone:
		return RevokeResult{}, invalidf("this link opens nothing of dataset %d (its grant is not on %s): there is nothing to revoke", id, s.network.Title)
	case chain.AccessRevoked:
		return RevokeResult{}, invalidf("this link is revoked from dataset %d already", id)
	}
	res, err := s.Revoke(ctx, id, l.Address().Hex())
	if err != nil {
		return res, err
	}
	res.Note = fmt.Sprintf("The link gets no later version of dataset %d. What was already delivered cannot be taken back: whoever has the link can still open version %d; run datashare update %d FILE to rotate the key now.", id, acc.Version, id)
	return res, nil
}

// FetchLink opens a share link: it finds the grant of the link's account on chain, opens its
// envelope with the link's key and fetches like Fetch (opts.Version: 0 is the current version,
// or the newest the link opens while a re-grant is pending). It needs no account and no
// registered key, only a profile on the link's network.
func (s *Service) FetchLink(ctx context.Context, rawLink, outPath string, opts FetchOptions, p Progress) (FetchResult, error) {
	if p == nil {
		p = NoProgress{}
	}
	l, err := s.parseLink(rawLink)
	if err != nil {
		return FetchResult{}, err
	}
	p.Stage(StageLocate)
	id := l.Dataset
	info, err := s.chain.Dataset(ctx, id)
	if errors.Is(err, chain.ErrNotFound) {
		return FetchResult{}, notFound(fmt.Sprintf("the link's dataset %d does not exist on %s%s", id, s.network.Title, s.otherComputerHint()))
	}
	if err != nil {
		return FetchResult{}, fmt.Errorf("look up dataset %d: %w", id, err)
	}
	if opts.Version > info.Version {
		return FetchResult{}, notFound(fmt.Sprintf("dataset %d has no version %d: its newest is version %d", id, opts.Version, info.Version))
	}
	held, err := s.grantedEnvelopes(ctx, id, []common.Address{l.Address()})
	if err != nil {
		return FetchResult{}, err
	}
	acc, err := s.chain.Access(ctx, id, l.Address())
	if err != nil {
		return FetchResult{}, fmt.Errorf("read the access of the link to dataset %d: %w", id, err)
	}
	version, err := s.linkVersion(id, info.Version, opts.Version, held, acc.State == chain.AccessRevoked)
	if err != nil {
		return FetchResult{}, err
	}
	key, err := seal.OpenKey(held[version], l.Identity())
	if errors.Is(err, seal.ErrWrongKey) {
		return FetchResult{}, sentence(fmt.Sprintf("the owner's grant of dataset %d to this link was sealed for another key: ask the owner for a new link", id), err)
	}
	if err != nil {
		return FetchResult{}, fmt.Errorf("open the key of dataset %d: %w", id, err)
	}
	vs, err := s.versions(ctx, id)
	if err != nil {
		return FetchResult{}, err
	}
	v, ok := vs[version]
	if !ok {
		return FetchResult{}, fmt.Errorf("dataset %d: the event of its version %d is not on the chain", id, version)
	}
	return s.fetchKeyed(ctx, id, key, v.MetadataCID, outPath, opts, p)
}

// linkVersion chooses the version a link fetch opens, from the versions granted to the link
// (held): want, or (want 0) the current one, or while a re-grant is pending the newest held.
func (s *Service) linkVersion(id, current, want uint64, held map[uint64][]byte, revoked bool) (uint64, error) {
	var vs []uint64
	for v := range held {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	switch {
	case len(vs) == 0 && revoked:
		return 0, fmt.Errorf("this link was revoked before it opened any version of dataset %d: %w", id, ErrNoAccess)
	case len(vs) == 0:
		return 0, fmt.Errorf("this link has %w to dataset %d: its grant is not on %s (was the link's approval finished?)%s", ErrNoAccess, id, s.network.Title, s.otherComputerHint())
	case want != 0 && held[want] == nil:
		return 0, fmt.Errorf("this link has %w to version %d of dataset %d: it opens %s", ErrNoAccess, want, id, versionList(vs))
	case want != 0:
		return want, nil
	case held[current] != nil:
		return current, nil
	case revoked:
		newest := vs[len(vs)-1]
		return 0, fmt.Errorf("this link was revoked for newer versions of dataset %d (its newest is version %d): %w to it; the link still opens %s (datashare get LINK --version %d)",
			id, current, ErrNoAccess, versionList(vs), newest)
	default:
		return vs[len(vs)-1], nil // the owner's re-grant of the current version is not on chain yet
	}
}

func versionList(vs []uint64) string {
	if len(vs) == 1 {
		return fmt.Sprintf("version %d", vs[0])
	}
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprint(v)
	}
	return "versions " + strings.Join(s, ", ")
}

// otherComputerHint explains, on the local chain, why a link made elsewhere finds nothing.
func (s *Service) otherComputerHint() string {
	if !s.network.Embedded {
		return ""
	}
	return "; a link made on another computer's local chain opens only there"
}

// parseLink reads a link and checks it is for this profile's network and contract.
func (s *Service) parseLink(raw string) (*link.Link, error) {
	l, err := link.Parse(raw)
	if err != nil {
		return nil, sentence(err.Error(), errors.Join(ErrInvalidInput, err))
	}
	if l.ChainID != s.network.ChainID {
		return nil, sentence(fmt.Sprintf("this link is for a dataset on %s, but this profile uses %s: open it on that network%s",
			networkOf(l.ChainID), s.network.Title, networkFlag(l.ChainID)), chain.ErrWrongNetwork)
	}
	if l.Contract != s.network.Contract {
		return nil, sentence(fmt.Sprintf("this link is for the DataShare contract %s, but this profile uses %s on %s: open it with a profile that uses that contract",
			l.Contract.Hex(), s.network.Contract.Hex(), s.network.Title), chain.ErrWrongNetwork)
	}
	return l, nil
}

// networkOf names a network by chain id.
func networkOf(chainID uint64) string {
	for _, n := range config.Builtin() {
		if n.ChainID == chainID {
			return fmt.Sprintf("%s (chain id %d)", n.Title, chainID)
		}
	}
	return fmt.Sprintf("the network with chain id %d", chainID)
}

// networkFlag says how to choose a built-in network, when the chain id is one.
func networkFlag(chainID uint64) string {
	for _, n := range config.Builtin() {
		if n.ChainID == chainID {
			return fmt.Sprintf(" (datashare --network %s get LINK)", n.Name)
		}
	}
	return ""
}
