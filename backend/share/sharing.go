package share

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ipfs/go-cid"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/walletconnect"
)

// Sharing: the owner gives the key of a dataset's current version to other accounts. Each
// grantee's key envelope (the dataset key sealed to its registered X25519 key) travels in the
// AccessGranted event, so a grantee recovers the key from the chain alone.
//
// Semantics, from the contract: a grant gives the key of the current version only; an update
// makes a new version with a new key, re-granted to every current grantee. Revoking cuts an
// account off from later versions; what it received cannot be taken back. A revoked account
// may be shared with again, explicitly (Share), but an update does not re-grant it.

// ShareResult is what Share (or a re-grant) did.
type ShareResult struct {
	Dataset  uint64   `json:"dataset"`
	Name     string   `json:"name"`
	Version  uint64   `json:"version"`  // the version whose key the grantees received
	Grantees []string `json:"grantees"` // accounts that received it with this call
	TxHashes []string `json:"txHashes"` // the transaction that delivered it (none when no one was left to grant)
	TxURLs   []string `json:"txUrls,omitempty"`
}

// RevokeResult is what Revoke did, with the honest sentence of what it cannot do.
type RevokeResult struct {
	Dataset  uint64 `json:"dataset"`
	Grantee  string `json:"grantee"`
	Refunded string `json:"refunded"` // wei of a pending request credited back to the grantee
	TxHash   string `json:"txHash"`
	TxURL    string `json:"txUrl,omitempty"`
	Note     string `json:"note"`
}

// DatasetAccess is who may read a dataset, from the chain.
type DatasetAccess struct {
	Dataset  uint64          `json:"dataset"`
	Owner    string          `json:"owner"`
	Version  uint64          `json:"version"` // the current version
	Grantees []AccessGrantee `json:"grantees"`
	Requests []AccessRequest `json:"requests"` // pending, paid into escrow
	Revoked  []AccessGrantee `json:"revoked"`  // get no later versions (Version: the newest they hold)
}

// AccessGrantee is an account holding a key of the dataset.
type AccessGrantee struct {
	Account string    `json:"account"`
	Version uint64    `json:"version"` // the newest version whose key it holds (0: none)
	Current bool      `json:"current"` // it holds the current version
	Since   time.Time `json:"since"`   // block time of the grant (or revoke)
	// Link is set when the grantee is a share link this profile made: "share link" or
	// `share link "LABEL"`.
	Link string `json:"link,omitempty"`
}

// AccessRequest is a pending, paid request for access.
type AccessRequest struct {
	Account string    `json:"account"`
	Amount  string    `json:"amount"` // wei held in escrow
	Since   time.Time `json:"since"`
}

// grantee is an account to give a dataset key to, with the X25519 public key its envelope is
// sealed to: the account's registered key, or for a share link the key derived from the link.
type grantee struct {
	Address common.Address
	Key     [32]byte
	Label   string // how the approval names it, with its address ("share link …"); "": the address alone
}

// Share gives the key of dataset id's current version to each account in grantees (addresses;
// mixed-case ones must have a valid EIP-55 checksum), in one approval. Everything is checked
// before anything is asked: the caller owns the dataset, no address is the owner or holds the
// current version already, each account has registered an encryption key. On a bad input
// nothing changes. A revoked account can be shared with again this way.
func (s *Service) Share(ctx context.Context, id uint64, grantees []string) (ShareResult, error) {
	addrs, err := parseGrantees(grantees)
	if err != nil {
		return ShareResult{}, err
	}
	info, err := s.ownDataset(ctx, id, "share")
	if err != nil {
		return ShareResult{}, err
	}
	if err := s.checkGrantable(ctx, id, info, addrs); err != nil {
		return ShareResult{}, err
	}
	to := make([]grantee, 0, len(addrs))
	for _, a := range addrs {
		k, err := s.recipientKey(ctx, a)
		if err != nil {
			return ShareResult{}, err
		}
		to = append(to, grantee{Address: a, Key: k})
	}
	return s.grant(ctx, id, to)
}

// parseGrantees checks typed addresses and removes duplicates, keeping the order.
func parseGrantees(in []string) ([]common.Address, error) {
	if len(in) == 0 {
		return nil, invalid("name at least one account to share with (an address starting with 0x)")
	}
	var out []common.Address
	seen := map[common.Address]bool{}
	for _, s := range in {
		a, err := config.ParseAddress(s)
		if err != nil {
			return nil, sentence(err.Error(), ErrInvalidInput)
		}
		if a == (common.Address{}) {
			return nil, invalid("the zero address cannot receive a key: check the address")
		}
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// ownDataset reads dataset id from the chain and checks that the current account owns it
// (what names the refusal: "share", "update", "revoke access to").
func (s *Service) ownDataset(ctx context.Context, id uint64, what string) (chain.DatasetInfo, error) {
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return info, err
	}
	if me := s.Account(); info.Owner != me {
		msg := fmt.Sprintf("dataset %d belongs to %s, not to %s: only its owner can %s it", id, info.Owner.Hex(), me.Hex(), what)
		if s.isMine(ctx, info.Owner) {
			msg = fmt.Sprintf("dataset %d belongs to %s, another account of this profile, and %s approves now: approve with %s to %s it", id, info.Owner.Hex(), me.Hex(), info.Owner.Hex(), what)
		}
		return info, sentence(msg, ErrNotOwner)
	}
	return info, nil
}

// chainDataset reads owner, price and version of dataset id: a clear message when it does not
// exist.
func (s *Service) chainDataset(ctx context.Context, id uint64) (chain.DatasetInfo, error) {
	info, err := s.chain.Dataset(ctx, id)
	if errors.Is(err, chain.ErrNotFound) {
		return info, notFound(fmt.Sprintf("dataset %d does not exist on %s", id, s.network.Title))
	}
	if err != nil {
		return info, fmt.Errorf("look up dataset %d: %w", id, err)
	}
	return info, nil
}

// checkGrantable refuses grantees that are the owner or hold the current version already.
func (s *Service) checkGrantable(ctx context.Context, id uint64, info chain.DatasetInfo, addrs []common.Address) error {
	for _, a := range addrs {
		if a == info.Owner {
			return invalidf("%s owns dataset %d and holds its key already: share it with someone else", a.Hex(), id)
		}
		acc, err := s.chain.Access(ctx, id, a)
		if err != nil {
			return fmt.Errorf("read the access of %s to dataset %d: %w", a.Hex(), id, err)
		}
		if acc.State == chain.AccessGranted && acc.Version == info.Version {
			return invalidf("%s holds version %d of dataset %d already: there is nothing to share", a.Hex(), info.Version, id)
		}
	}
	return nil
}

// grant gives the key of dataset id's current version to each grantee, in one approval. It is
// the primitive behind Share and share links: the caller has checked the addresses and chosen
// the keys; grant checks ownership and that no grantee holds the current version, before
// anything is asked.
func (s *Service) grant(ctx context.Context, id uint64, to []grantee) (ShareResult, error) {
	info, err := s.ownDataset(ctx, id, "share")
	if err != nil {
		return ShareResult{}, err
	}
	addrs := make([]common.Address, len(to))
	for i, g := range to {
		addrs[i] = g.Address
	}
	if err := s.checkGrantable(ctx, id, info, addrs); err != nil {
		return ShareResult{}, err
	}
	vs, err := s.versions(ctx, id)
	if err != nil {
		return ShareResult{}, err
	}
	key, err := s.ownerKey(id, info.Version, vs)
	if err != nil {
		return ShareResult{}, err
	}
	return s.sendGrants(ctx, id, s.datasetName(ctx, id), info.Version, key, to, nil)
}

// datasetName is how approvals name a dataset: its name when the index knows it.
func (s *Service) datasetName(ctx context.Context, id uint64) string {
	if d, err := s.index.Dataset(ctx, id); err == nil && d.Name != "" {
		return fmt.Sprintf("%s (dataset %d)", d.Name, id)
	}
	return fmt.Sprintf("dataset %d", id)
}

// sendGrants seals key to each grantee and gives them version in one grantMany transaction
// (one approval). Grantees found holding version on chain already are left out (so a resumed
// re-grant never grants twice); when none is left, nothing is sent. j, when set, journals the
// signed transaction. This is the one place that knows how grants reach the contract.
func (s *Service) sendGrants(ctx context.Context, id uint64, name string, version uint64, key *seal.DatasetKey, to []grantee, j chain.Journal) (ShareResult, error) {
	res := ShareResult{Dataset: id, Name: name, Version: version, Grantees: []string{}, TxHashes: []string{}}
	var grants []chain.Grant
	var addrs []common.Address
	var who []string // as the approval names them
	for _, g := range to {
		acc, err := s.chain.Access(ctx, id, g.Address)
		if err != nil {
			return res, fmt.Errorf("read the access of %s to dataset %d: %w", g.Address.Hex(), id, err)
		}
		if acc.State == chain.AccessGranted && acc.Version >= version {
			continue // holds it already (an earlier attempt that was mined)
		}
		env, err := seal.SealKey(key, g.Key)
		if err != nil {
			return res, fmt.Errorf("seal the key of dataset %d for %s: %w", id, g.Address.Hex(), err)
		}
		grants = append(grants, chain.Grant{Grantee: g.Address, Envelope: env})
		addrs = append(addrs, g.Address)
		if g.Label != "" {
			who = append(who, g.Label+" ("+g.Address.Hex()+")")
		} else {
			who = append(who, g.Address.Hex())
		}
	}
	if len(grants) == 0 {
		return res, nil
	}
	data, err := chain.GrantManyData(id, grants)
	if err != nil {
		return res, err
	}
	hexes := make([]string, len(addrs))
	for i, a := range addrs {
		hexes[i] = a.Hex()
	}
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:   "Share dataset",
		Dataset:  name,
		Note:     fmt.Sprintf("gives the key of version %d of %s to %s", version, name, strings.Join(who, ", ")),
		To:       s.network.Contract,
		Data:     data,
		Check:    s.checkGranted(id, version, addrs),
		Journal:  j,
		Grantees: addrs,
		Version:  version,
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return res, fmt.Errorf("share %s with %s: %w", name, strings.Join(hexes, ", "), err)
	}
	h := out.Receipt.TxHash.Hex()
	res.Grantees, res.TxHashes = hexes, []string{h}
	if u := s.network.TxURL(h); u != "" {
		res.TxURLs = []string{u}
	}
	return res, nil
}

// checkGranted verifies that a receipt records an AccessGranted of version to each account.
func (s *Service) checkGranted(id, version uint64, to []common.Address) func(*types.Receipt) error {
	return func(r *types.Receipt) error {
		got := map[common.Address]bool{}
		for _, l := range r.Logs {
			if l.Address != s.network.Contract {
				continue
			}
			if ev, err := ds.UnpackAccessGrantedEvent(l); err == nil && ev.Id.Uint64() == id && ev.Version == version {
				got[ev.Grantee] = true
			}
		}
		for _, a := range to {
			if !got[a] {
				return fmt.Errorf("it records no grant of version %d of dataset %d to %s", version, id, a.Hex())
			}
		}
		return nil
	}
}

// versionInfo is one version of a dataset as its Published or Updated event recorded it.
type versionInfo struct {
	MetadataCID   cid.Cid
	OwnerEnvelope []byte
	TxHash        string
	Block         uint64
}

// versions reads every version of dataset id from the chain, by version number.
func (s *Service) versions(ctx context.Context, id uint64) (map[uint64]versionInfo, error) {
	logs, err := s.chain.Logs(ctx, chain.LogFilter{Events: []string{"Published", "Updated"}, IDs: []uint64{id}}, s.fromBlk, ^uint64(0))
	if err != nil {
		return nil, fmt.Errorf("read the versions of dataset %d from the chain: %w", id, err)
	}
	out := map[uint64]versionInfo{}
	for i := range logs {
		l := &logs[i]
		var v uint64
		var mc, env []byte
		if ev, err := ds.UnpackPublishedEvent(l); err == nil {
			v, mc, env = 1, ev.MetadataCid, ev.OwnerEnvelope
		} else if ev, err := ds.UnpackUpdatedEvent(l); err == nil {
			v, mc, env = ev.Version, ev.MetadataCid, ev.OwnerEnvelope
		} else {
			continue
		}
		c, err := cid.Cast(mc)
		if err != nil {
			return nil, fmt.Errorf("version %d of dataset %d has an invalid metadata CID: %w", v, id, err)
		}
		out[v] = versionInfo{MetadataCID: c, OwnerEnvelope: env, TxHash: l.TxHash.Hex(), Block: l.BlockNumber}
	}
	if out[1].MetadataCID == cid.Undef {
		return nil, fmt.Errorf("dataset %d: its Published event is not on the chain", id)
	}
	return out, nil
}

// ownerKey opens the owner's envelope of a version with this profile's identity.
func (s *Service) ownerKey(id, version uint64, vs map[uint64]versionInfo) (*seal.DatasetKey, error) {
	v, ok := vs[version]
	if !ok {
		return nil, notFound(fmt.Sprintf("dataset %d has no version %d on %s", id, version, s.network.Title))
	}
	return s.openEnvelope(id, v.OwnerEnvelope)
}

// openEnvelope opens a key envelope of dataset id with this profile's identity.
func (s *Service) openEnvelope(id uint64, envelope []byte) (*seal.DatasetKey, error) {
	ident, err := s.identity("opening a key envelope")
	if err != nil {
		return nil, err
	}
	key, err := seal.OpenKey(envelope, ident)
	if errors.Is(err, seal.ErrWrongKey) {
		return nil, sentence(fmt.Sprintf("the key of dataset %d was sealed for a different encryption key than this profile's: restore your key backup (datashare keys import)", id), err)
	}
	if err != nil {
		return nil, fmt.Errorf("open the key of dataset %d: %w", id, err)
	}
	return key, nil
}

// Revoke cuts grantee off from every later version of dataset id (a pending request of it is
// declined and refunded). What it received already cannot be taken back: the result says so,
// and that an update rotates the key now.
func (s *Service) Revoke(ctx context.Context, id uint64, granteeAddr string) (RevokeResult, error) {
	a, err := config.ParseAddress(granteeAddr)
	if err != nil {
		return RevokeResult{}, sentence(err.Error(), ErrInvalidInput)
	}
	info, err := s.ownDataset(ctx, id, "revoke access to")
	if err != nil {
		return RevokeResult{}, err
	}
	if a == info.Owner {
		return RevokeResult{}, invalidf("%s owns dataset %d: an owner's access cannot be revoked", a.Hex(), id)
	}
	acc, err := s.chain.Access(ctx, id, a)
	if err != nil {
		return RevokeResult{}, fmt.Errorf("read the access of %s to dataset %d: %w", a.Hex(), id, err)
	}
	switch acc.State {
	case chain.AccessRevoked:
		return RevokeResult{}, invalidf("%s is revoked from dataset %d already", a.Hex(), id)
	case chain.AccessNone:
		return RevokeResult{}, invalidf("%s has no access to dataset %d and no pending request: there is nothing to revoke", a.Hex(), id)
	}
	name := s.datasetName(ctx, id)
	out := s.approverNow().Approve(ctx, approval.Request{
		Action:  "Revoke access",
		Dataset: name,
		Note:    fmt.Sprintf("%s gets no later version of %s; what it received already cannot be taken back", a.Hex(), name),
		To:      s.network.Contract,
		Data:    chain.RevokeData(id, a),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackAccessRevokedEvent(l); err == nil && l.Address == s.network.Contract && ev.Id.Uint64() == id && ev.Grantee == a {
					return nil
				}
			}
			return fmt.Errorf("it records no revocation of %s", a.Hex())
		},
	})
	if errors.Is(out.Err, walletconnect.ErrRelayUnavailable) {
		s.noteRelay(out.Err)
	}
	if err := out.Error(); err != nil {
		return RevokeResult{}, fmt.Errorf("revoke the access of %s to %s: %w", a.Hex(), name, err)
	}
	refunded := "0"
	if acc.Escrow != nil {
		refunded = acc.Escrow.String()
	}
	h := out.Receipt.TxHash.Hex()
	return RevokeResult{
		Dataset: id, Grantee: a.Hex(), Refunded: refunded, TxHash: h, TxURL: s.network.TxURL(h),
		Note: fmt.Sprintf("%s gets no later version of dataset %d. What was already delivered cannot be taken back; run datashare update %d FILE to rotate the key now.", a.Hex(), id, id),
	}, nil
}

// Access lists who may read dataset id: the accounts holding a key (and which version), the
// pending requests and the revoked accounts, from the chain.
func (s *Service) Access(ctx context.Context, id uint64) (DatasetAccess, error) {
	info, err := s.chainDataset(ctx, id)
	if err != nil {
		return DatasetAccess{}, err
	}
	logs, err := s.chain.Logs(ctx, chain.LogFilter{
		Events: []string{"AccessRequested", "AccessGranted", "Declined", "AccessRevoked", "Refunded"}, IDs: []uint64{id},
	}, s.fromBlk, ^uint64(0))
	if err != nil {
		return DatasetAccess{}, fmt.Errorf("read the access to dataset %d from the chain: %w", id, err)
	}
	last := map[common.Address]uint64{} // the block of each account's newest event
	var order []common.Address
	for i := range logs {
		l := &logs[i]
		if len(l.Topics) < 4 {
			continue
		}
		a := common.BytesToAddress(l.Topics[3].Bytes())
		if _, ok := last[a]; !ok {
			order = append(order, a)
		}
		last[a] = l.BlockNumber
	}
	out := DatasetAccess{Dataset: id, Owner: info.Owner.Hex(), Version: info.Version,
		Grantees: []AccessGrantee{}, Requests: []AccessRequest{}, Revoked: []AccessGrantee{}}
	times := s.blockTimes()
	for _, a := range order {
		acc, err := s.chain.Access(ctx, id, a)
		if err != nil {
			return DatasetAccess{}, fmt.Errorf("read the access of %s to dataset %d: %w", a.Hex(), id, err)
		}
		since, err := times(ctx, last[a])
		if err != nil {
			return DatasetAccess{}, err
		}
		g := AccessGrantee{Account: a.Hex(), Version: acc.Version, Current: acc.Version == info.Version, Since: since}
		switch acc.State {
		case chain.AccessGranted:
			out.Grantees = append(out.Grantees, g)
		case chain.AccessRevoked:
			g.Current = false
			out.Revoked = append(out.Revoked, g)
		case chain.AccessRequested:
			out.Requests = append(out.Requests, AccessRequest{Account: a.Hex(), Amount: acc.Escrow.String(), Since: time.Unix(int64(acc.RequestedAt), 0)})
			if acc.Version > 0 { // holds an older version and asks for the current one
				out.Grantees = append(out.Grantees, g)
			}
		}
	}
	sort.SliceStable(out.Grantees, func(i, j int) bool { return out.Grantees[i].Since.Before(out.Grantees[j].Since) })
	if err := s.markLinks(ctx, &out); err != nil {
		return DatasetAccess{}, err
	}
	return out, nil
}

// blockTimes returns a function that reads block times, each block once.
func (s *Service) blockTimes() func(context.Context, uint64) (time.Time, error) {
	cache := map[uint64]time.Time{}
	return func(ctx context.Context, n uint64) (time.Time, error) {
		if t, ok := cache[n]; ok {
			return t, nil
		}
		t, err := s.chain.BlockTime(ctx, n)
		if err != nil {
			return t, fmt.Errorf("read the time of block %d: %w", n, err)
		}
		cache[n] = t
		return t, nil
	}
}
