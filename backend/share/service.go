// Package share holds DataShare's use cases: publish a file, fetch a dataset, list the user's
// datasets, and report the app's status; and sharing: register the profile's encryption key
// (RegisterKey), share a dataset with accounts (Share), publish a new version that is re-granted
// to the current grantees (Update), cut an account off from later versions (Revoke), and read
// who has access (Access), what others shared with the user (Shared) and every event of a
// dataset (History). The CLI (cmd/datashare) and the GUI (app/) are two faces of this one
// package.
//
// Open starts everything a profile needs: its keys, the chain (the embedded local chain by
// default, or an RPC endpoint), IPFS (a running daemon if one answers, else an embedded node) and
// the local index. Publish and Fetch stream: memory stays flat whatever the file size. Progress
// goes through the Progress interface; cancellation through the context. On the local chain,
// the profiles of this computer find each other's IPFS nodes through records in the chain's
// directory (localpeers.go): a fetch dials them first, so two profiles share with no setup.
//
// Crash safety: a publish is a job in the index journal (an update too, with a re-grant stage
// after its transaction: see update.go). The dataset key is sealed to the
// owner's encryption identity before anything else happens, and the signed transaction is
// journaled before it is sent, so an interrupted publish resumes with the same key and never
// creates a second on-chain record. On start, a background look (bounded; it sends nothing, so
// read-only commands never send a transaction) confirms what was mined, and marks what the chain
// lost, replaced or reverted; publish and resume send again (see Jobs, ResumeJob, DiscardJob).
package share

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/ipfs"
	"github.com/datashare/datashare/backend/keys"
)

// Config selects the profile and the environment a Service runs in.
type Config struct {
	DataDir    string                                                    // "" = config.DefaultDataDir()
	Network    string                                                    // "" = settings, else "local"
	IPFSMode   string                                                    // "" = settings, else "auto"
	IPFSAPI    string                                                    // explicit IPFS daemon API address
	Passphrase func(ctx context.Context, purpose string) (string, error) // asked only when no OS keyring
	Confirm    ConfirmFunc                                               // "approve on this computer"; required: nil refuses every transaction
	NoKeyring  bool                                                      // keep secrets in the passphrase file even if a keyring exists
	// Loopback keeps IPFS on this computer: no public network (tests, and profiles that share only
	// with each other). The environment variable DATASHARE_IPFS_NETWORK=loopback sets it too.
	Loopback bool
	// ReadOnly opens the profile for listing and status only: no IPFS node is started (in daemon
	// mode the daemon is asked, and used if it answers) and no transaction is sent. Methods that
	// need IPFS or may send fail with ErrReadOnly (see readonly.go). The keys stay locked: only
	// their public part is read, so Passphrase is not called (except on a first start, which
	// makes the keys). For commands such as ls and status.
	ReadOnly bool
	// RelayURL overrides the WalletConnect relay of the settings (tests use a local relay).
	RelayURL string
	// OnWalletChange is called when the phone wallet connects, changes account, or disconnects.
	OnWalletChange func(WalletStatus)
	// OnPhoneRequest is called when a transaction is sent to the phone for approval, so the UI
	// can say "check your phone". It must not block.
	OnPhoneRequest func(ctx context.Context, s approval.Summary)
	// LocalnetDir is the local chain's directory, shared by every profile on this computer
	// ("" = $DATASHARE_LOCALNET_DIR, else config.DefaultLocalnetDir). Tests point it at a
	// temporary directory.
	LocalnetDir string
}

// Service is one open profile. Its methods are safe for concurrent use.
type Service struct {
	dataDir string
	network config.Network
	keys    *keys.Keys // nil when opened read-only on existing keys: the secrets stay locked (readonly.go)
	pub     publicKeys // what the profile shows of its keys, from keys or from keys.json
	keyOpts keys.Options
	// unlocked are the keys of a read-only profile that a use case had to unlock (unlockIdentity).
	unlockMu sync.Mutex
	unlocked *keys.Keys
	chain    *chain.Client
	ipfs     *ipfs.Store
	index    *index.DB
	local    *approval.Local // approve on this computer, with the device key (nil when the keys stay locked)
	locked   *lockedApprover // in place of local and phone when the keys stay locked
	phone    *approval.Phone // approve on the phone wallet, when one is connected
	wallet   *wallet
	fromBlk  uint64 // first block to scan for events (the contract's deployment)

	// localnet is this process's part in the local chain every profile shares (nil on a remote
	// network); legacyChain is this profile's own chain from before, when it was left alone.
	localnet    *devnet.Member
	legacyChain string
	peers       *localPeers // the other profiles' IPFS nodes on this computer (localpeers.go); nil off the local chain

	readOnly bool         // Config.ReadOnly
	ipfsNet  ipfs.Network // the network the embedded node joins (or would)
	ipfsNote string       // why IPFS is not started, for Status; "" when it is

	recoverStop context.CancelFunc // the background recovery of Open (publish.go)
	recoverDone chan struct{}

	fulfil *fulfilRun // automatic answers to access requests (fulfil.go), when started; guarded by jobsMu

	closeOnce sync.Once

	syncMu  sync.Mutex // one chain sync at a time
	jobsMu  sync.Mutex // guards running
	running map[string]bool
}

// minDeviceBalance is what the device key is topped up to on the local chain.
var minDeviceBalance = new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether))

// Open starts a profile. It can take a few seconds (the local chain and the IPFS node start).
func Open(ctx context.Context, cfg Config) (_ *Service, err error) {
	dir := cfg.DataDir
	if dir == "" {
		if dir, err = config.DefaultDataDir(); err != nil {
			return nil, err
		}
	}
	if err := config.EnsureDataDir(dir); err != nil {
		return nil, err
	}
	settings, err := config.LoadSettings(dir)
	if err != nil {
		return nil, err
	}
	network, err := config.ResolveNetwork(cfg.Network, settings)
	if err != nil {
		return nil, err
	}
	s := &Service{dataDir: dir, network: network, readOnly: cfg.ReadOnly, running: map[string]bool{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	paths := config.Paths{Root: dir}

	if err := s.openKeys(ctx, dir, cfg); err != nil {
		return nil, err // keys errors say "keys: …"
	}
	if network.Embedded {
		if err := s.startLocalChain(ctx, cfg.LocalnetDir, paths.Chain()); err != nil {
			return nil, err
		}
	}
	s.chain, err = chain.Dial(ctx, s.network.RPCURL, s.network.ChainID, s.network.Contract)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", network.Title, err)
	}
	if network.Embedded && !cfg.ReadOnly {
		if err := s.topUpDevice(ctx); err != nil {
			return nil, err
		}
	}

	mode := ipfs.Mode(firstOf(cfg.IPFSMode, settings.IPFS, string(ipfs.ModeAuto)))
	switch mode {
	case ipfs.ModeAuto, ipfs.ModeEmbedded, ipfs.ModeDaemon:
	default:
		return nil, fmt.Errorf("unknown IPFS mode %q (use auto, embedded or daemon)", mode)
	}
	net := ipfs.Public
	if cfg.Loopback || os.Getenv("DATASHARE_IPFS_NETWORK") == "loopback" {
		net = ipfs.Loopback
	}
	s.ipfsNet = net
	s.ipfs, s.ipfsNote, err = openIPFS(ctx, cfg.ReadOnly, ipfs.Options{RepoPath: paths.IPFS(), Mode: mode, APIAddr: firstOf(cfg.IPFSAPI, settings.IPFSAPI),
		Network: net, Listen: settings.IPFSListen, LANDiscovery: settings.IPFSLANDiscovery})
	if err != nil {
		return nil, fmt.Errorf("start IPFS: %w", err)
	}
	if s.localnet != nil && !cfg.ReadOnly && s.ipfs.Started() {
		if s.peers, err = announceLocalPeer(ctx, s.localnet.DataDir(), s.ipfs); err != nil {
			return nil, err
		}
	}

	s.index, err = index.Open(paths.Index(s.network, s.network.Contract))
	if err != nil {
		return nil, err
	}
	if s.keys == nil {
		s.locked = &lockedApprover{s: s}
	} else {
		s.local = &approval.Local{Chain: s.chain, Key: s.keys.DeviceKey(), Confirm: approval.ConfirmFunc(cfg.Confirm), Network: s.network.Title}
		if err := s.openWallet(ctx, settings, cfg); err != nil {
			return nil, err
		}
	}
	s.startRecovery()
	return s, nil
}

// Close stops everything Open started. When this process runs the local chain, it shuts down
// cleanly and another process using it takes over. Closing again does nothing.
func (s *Service) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.close() })
	return err
}

func (s *Service) close() error {
	var errs []error
	s.stopFulfilment()
	s.stopRecovery()
	if s.wallet != nil {
		errs = append(errs, s.wallet.client.Close())
	}
	if s.index != nil {
		errs = append(errs, s.index.Close())
	}
	errs = append(errs, s.peers.withdraw())
	if s.ipfs != nil {
		errs = append(errs, s.ipfs.Close())
	}
	if s.chain != nil {
		s.chain.Close()
	}
	if s.localnet != nil {
		errs = append(errs, s.localnet.Close())
	}
	return errors.Join(errs...)
}

// Account is the address that owns the user's datasets and pays for transactions: the phone
// wallet's when one is connected, else the device key's.
func (s *Service) Account() common.Address { return s.approverNow().Account() }

// Network is the network in use, with its RPC URL and contract resolved.
func (s *Service) Network() config.Network { return s.network }

// Status reports the network, IPFS and account.
func (s *Service) Status(ctx context.Context) (Status, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st := Status{
		Network: s.network.Name, NetworkTitle: s.network.Title, ChainID: s.network.ChainID,
		RPCURL: config.RedactURL(s.network.RPCURL), Contract: s.network.Contract.Hex(),
		IPFSMode: string(s.ipfs.Mode()), IPFSPeerID: s.ipfs.PeerID(), IPFSNetwork: s.ipfsNet.String(),
		IPFSStarted: s.ipfs.Started(), IPFSNote: s.ipfsNote,
		Account: s.Account().Hex(), DeviceAddress: s.pub.device.Hex(),
		KeysBackend: s.pub.backend, DataDir: s.dataDir, LegacyChain: s.legacyChain,
	}
	bal, err := s.chain.Balance(ctx, s.Account())
	if err != nil {
		return st, err
	}
	st.Balance = bal.String()
	if st.Key, err = s.KeyStatus(ctx); err != nil {
		return st, err
	}
	if st.Block, err = s.chain.BlockNumber(ctx); err != nil {
		return st, err
	}
	if !s.ipfs.Started() {
		return st, nil
	}
	if st.IPFSPeers, err = s.ipfs.Peers(ctx); err != nil {
		return st, err
	}
	repo, err := s.ipfs.RepoStat(ctx)
	if err != nil {
		return st, err
	}
	st.IPFSRepoSize = int64(repo.Size)
	return st, nil
}

// ErrNotFound is matched (errors.Is) by errors about a missing file, directory or dataset.
var ErrNotFound = errors.New("not found")

// notFound is an error whose message is a full sentence and that matches ErrNotFound.
type notFound string

func (e notFound) Error() string        { return string(e) }
func (e notFound) Is(target error) bool { return target == ErrNotFound }

func firstOf(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// IPFSAddrs are the addresses other IPFS nodes can dial to reach this one.
func (s *Service) IPFSAddrs(ctx context.Context) ([]string, error) {
	if err := s.writable("IPFSAddrs"); err != nil {
		return nil, err
	}
	return s.ipfs.Addrs(ctx)
}

// ConnectIPFS dials IPFS peers by address (multiaddrs ending in /p2p/<peer id>), for networks
// without content routing. The profiles on one computer that share the local chain need it not:
// a fetch dials their nodes itself (localpeers.go).
func (s *Service) ConnectIPFS(ctx context.Context, addrs []string) error {
	if err := s.writable("ConnectIPFS"); err != nil {
		return err
	}
	return s.ipfs.Connect(ctx, addrs)
}

// DataDir is the profile's data directory.
func (s *Service) DataDir() string { return s.dataDir }
