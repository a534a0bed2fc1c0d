// Package config knows where DataShare keeps its data and which networks it can use.
//
// A profile is one data directory: keys (their non-secret description), the embedded IPFS
// repository, the local index and the settings file all live under it, so two profiles on one
// machine are two people. DefaultDataDir gives the platform's usual place. The local chain is not
// in a profile: every profile of a user shares one, in DefaultLocalnetDir.
//
// Networks are built in (the embedded local chain, public testnets) or custom (an RPC URL, a chain
// id and a deployed contract). Settings, stored as JSON in the data directory, hold the user's
// choices; nothing in them is secret.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Network is an Ethereum network DataShare can use.
type Network struct {
	Name     string         `json:"name"`               // "local", "sepolia", "base-sepolia" or "custom"
	Title    string         `json:"title"`              // for people: "Local (this computer)"
	ChainID  uint64         `json:"chainId"`            //
	RPCURL   string         `json:"rpcUrl,omitempty"`   // empty for the embedded chain
	Contract common.Address `json:"contract,omitempty"` // zero until deployed (the embedded chain deploys its own)
	Explorer string         `json:"explorer,omitempty"` // block explorer base URL, no trailing slash
	Embedded bool           `json:"embedded,omitempty"` // the in-process dev chain
}

// TxURL returns a link to a transaction on the network's block explorer, or "" without one.
func (n Network) TxURL(hash string) string {
	if n.Explorer == "" {
		return ""
	}
	return n.Explorer + "/tx/" + hash
}

// Local is the default network: an embedded go-ethereum dev chain on this computer, shared by
// all of the user's profiles (DefaultLocalnetDir).
const Local = "local"

// Builtin returns the networks DataShare knows without configuration. Testnets have no contract
// until the user deploys one (`datashare deploy`) or enters an address.
func Builtin() []Network {
	return []Network{
		{Name: Local, Title: "Local (this computer)", ChainID: 1337, Embedded: true},
		{Name: "sepolia", Title: "Sepolia testnet", ChainID: 11155111, Explorer: "https://sepolia.etherscan.io"},
		{Name: "base-sepolia", Title: "Base Sepolia testnet", ChainID: 84532, Explorer: "https://sepolia.basescan.org"},
	}
}

// Settings are the user's choices for one profile, stored in settings.json in the data directory.
type Settings struct {
	Network string `json:"network,omitempty"` // a Builtin name or "custom"; empty: Local
	// Per-network overrides: RPC URL and contract address the user entered or deployed.
	Networks map[string]NetworkSettings `json:"networks,omitempty"`
	IPFS     string                     `json:"ipfs,omitempty"`    // "auto" (default), "embedded" or "daemon"
	IPFSAPI  string                     `json:"ipfsApi,omitempty"` // explicit daemon API address
	// IPFSListen lets other computers connect to the embedded IPFS node (swarm listeners on every
	// interface). Off: it listens on loopback only and reaches peers by dialing out.
	IPFSListen bool `json:"ipfsListen,omitempty"`
	// IPFSLANDiscovery lets the embedded public-network IPFS node announce itself on the local
	// network and find peers there (mDNS). Off: it does neither.
	IPFSLANDiscovery bool `json:"ipfsLANDiscovery,omitempty"`
	// WalletConnect configures phone approval.
	WalletConnect WalletConnectSettings `json:"walletConnect,omitempty"`
}

// WalletConnectSettings are the relay and project ID phone approval uses.
type WalletConnectSettings struct {
	RelayURL  string `json:"relayUrl,omitempty"`  // empty: the public WalletConnect relay
	ProjectID string `json:"projectId,omitempty"` // from Reown Cloud; a public identifier, not a secret
}

// NetworkSettings are what the user set for one network.
type NetworkSettings struct {
	RPCURL   string `json:"rpcUrl,omitempty"`
	Contract string `json:"contract,omitempty"`
	ChainID  uint64 `json:"chainId,omitempty"` // custom networks only
}

const settingsFile = "settings.json"

// LoadSettings reads the settings of a data directory; a missing file gives the defaults.
func LoadSettings(dataDir string) (Settings, error) {
	var s Settings
	b, err := os.ReadFile(filepath.Join(dataDir, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("settings file %s is damaged (%v); fix or delete it", filepath.Join(dataDir, settingsFile), err)
	}
	return s, nil
}

// SaveSettings writes the settings atomically.
func SaveSettings(dataDir string, s Settings) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dataDir, settingsFile), append(b, '\n'), 0o644)
}

// ResolveNetwork returns the network called name (empty: the one in settings, else Local), with
// the user's overrides applied. It fails when the network is unknown or has no RPC URL or
// contract to use.
func ResolveNetwork(name string, s Settings) (Network, error) {
	if name == "" {
		name = s.Network
	}
	if name == "" {
		name = Local
	}
	var n Network
	found := false
	for _, b := range Builtin() {
		if b.Name == name {
			n, found = b, true
		}
	}
	o := s.Networks[name]
	if !found {
		if name != "custom" {
			return n, fmt.Errorf("unknown network %q (known: %s, custom)", name, strings.Join(names(), ", "))
		}
		n = Network{Name: "custom", Title: "Custom network", ChainID: o.ChainID}
	}
	if n.Embedded {
		return n, nil
	}
	if o.RPCURL != "" {
		n.RPCURL = o.RPCURL
	}
	if o.Contract != "" {
		a, err := ParseAddress(o.Contract)
		if err != nil {
			return n, fmt.Errorf("contract address for %s: %w", name, err)
		}
		n.Contract = a
	}
	if n.RPCURL == "" {
		return n, fmt.Errorf("network %s has no RPC URL: set one in Settings (or `datashare network set %s --rpc URL`)", name, name)
	}
	if n.ChainID == 0 {
		return n, fmt.Errorf("network %s has no chain id", name)
	}
	if n.Contract == (common.Address{}) {
		return n, fmt.Errorf("network %s has no DataShare contract yet: deploy one with `datashare deploy` or enter its address", name)
	}
	return n, nil
}

func names() []string {
	var out []string
	for _, b := range Builtin() {
		out = append(out, b.Name)
	}
	return out
}

var projectIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// CheckWalletConnect validates a relay URL and project ID typed by a person and returns them
// trimmed (the project ID in lower case). An empty relay means the public relay; an empty project
// ID means none.
func CheckWalletConnect(relayURL, projectID string) (string, string, error) {
	relayURL, projectID = strings.TrimSpace(relayURL), strings.TrimSpace(projectID)
	if relayURL != "" {
		u, err := url.Parse(relayURL)
		switch {
		case err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Hostname() == "":
			return "", "", errors.New("the relay must be a ws:// or wss:// address, like wss://relay.walletconnect.org")
		case u.User != nil:
			return "", "", errors.New("the relay address cannot contain a user name or password")
		case u.RawQuery != "" || u.Fragment != "":
			return "", "", errors.New("leave the part from ? or # out of the relay address: DataShare adds the project ID itself")
		}
	}
	if projectID != "" && !projectIDPattern.MatchString(projectID) {
		return "", "", errors.New("a project ID is 32 characters long, made of digits and the letters a to f: copy it from your project at cloud.reown.com")
	}
	return relayURL, strings.ToLower(projectID), nil
}

// ParseAddress parses an Ethereum address typed by a person: it must start with 0x and have 40
// hex digits; when it mixes upper and lower case, the EIP-55 checksum must be valid (a typo in a
// checksummed address is caught instead of sending to the wrong account).
func ParseAddress(s string) (common.Address, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return common.Address{}, fmt.Errorf("%q is not an Ethereum address: it must start with 0x", s)
	}
	if len(s) != 42 || !common.IsHexAddress(s) {
		return common.Address{}, fmt.Errorf("%q is not an Ethereum address: it must be 0x followed by 40 hex digits", s)
	}
	body := s[2:]
	if body != strings.ToLower(body) && body != strings.ToUpper(body) {
		m, err := common.NewMixedcaseAddressFromString(s)
		if err != nil || !m.ValidChecksum() {
			return common.Address{}, fmt.Errorf("%q has a wrong checksum (EIP-55): check for a typo", s)
		}
	}
	return common.HexToAddress(s), nil
}

// DefaultDataDir is where a profile lives unless the user chooses otherwise:
// $XDG_DATA_HOME/datashare (usually ~/.local/share/datashare) on Linux, the user config
// directory elsewhere. DATASHARE_DATA_DIR overrides it.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("DATASHARE_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	return userDataDir("datashare", "DataShare")
}

// EnvLocalnetDir names the environment variable that moves the local chain's directory.
const EnvLocalnetDir = "DATASHARE_LOCALNET_DIR"

// DefaultLocalnetDir is where the local chain lives: one directory per user, shared by every
// profile (so that two profiles on one computer see the same chain and can share data):
// $XDG_DATA_HOME/datashare-localnet (usually ~/.local/share/datashare-localnet) on Linux,
// "DataShare Localnet" in the user config directory elsewhere. DATASHARE_LOCALNET_DIR overrides
// it. DATASHARE_DATA_DIR does not move it: that variable picks a profile, and every profile uses
// the same local chain.
func DefaultLocalnetDir() (string, error) {
	if d := os.Getenv(EnvLocalnetDir); d != "" {
		return filepath.Abs(d)
	}
	return userDataDir("datashare-localnet", "DataShare Localnet")
}

// userDataDir is $XDG_DATA_HOME/linuxName (default ~/.local/share/linuxName) on Linux, and
// otherName in the user config directory elsewhere.
func userDataDir(linuxName, otherName string) (string, error) {
	if runtime.GOOS == "linux" {
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			return filepath.Join(x, linuxName), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no home directory to keep data in: %w", err)
		}
		return filepath.Join(home, ".local", "share", linuxName), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user directory to keep data in: %w", err)
	}
	return filepath.Join(d, otherName), nil
}

// Paths are the places inside a data directory.
type Paths struct{ Root string }

// Chain is where versions before the shared local chain kept a profile's own chain; a profile
// that still has one there hands it over to the shared directory on its first start (see
// DefaultLocalnetDir).
func (p Paths) Chain() string { return filepath.Join(p.Root, "chain") }
func (p Paths) IPFS() string  { return filepath.Join(p.Root, "ipfs") }

// Index is the local index database of one network (chain id and contract), rebuildable from
// the chain.
func (p Paths) Index(n Network, contract common.Address) string {
	return filepath.Join(p.Root, "index", fmt.Sprintf("%d-%s.db", n.ChainID, strings.ToLower(contract.Hex()[2:10])))
}

// EnsureDataDir creates the data directory (private to the user) if needed.
func EnsureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory %s: %w", dir, err)
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same directory, synced and
// renamed over path, so a crash leaves either the old or the new content.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// RedactURL is an RPC or relay URL as it may be shown (status, messages, logs): providers put
// API keys in the user info, the query or a path segment (…/v3/<key>), so those are replaced by
// "…". Scheme, host, port and word-like path segments ("v3", "rpc", "eth") stay, so the user
// still sees which endpoint is meant. A string that is not a URL with a host is shown as is when
// it is a file path (an IPC socket), else as "the configured URL".
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if strings.Contains(raw, "://") || strings.ContainsAny(raw, "?@") {
			return "the configured URL"
		}
		return raw
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://")
	if u.User != nil {
		b.WriteString("…@")
	}
	b.WriteString(u.Host)
	for _, seg := range strings.Split(strings.Trim(u.EscapedPath(), "/"), "/") {
		if seg == "" {
			continue
		}
		if looksSecret(seg) {
			seg = "…"
		}
		b.WriteString("/" + seg)
	}
	if u.RawQuery != "" {
		var kv []string
		for _, p := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(p, "=")
			if looksSecret(k) {
				k = "…"
			}
			kv = append(kv, k+"=…")
		}
		b.WriteString("?" + strings.Join(kv, "&"))
	}
	return b.String()
}

// looksSecret tells a path segment that may be a key from a word or a number like "v3", "rpc",
// "eth_sepolia" or a chain id: anything longer than 12 characters, with characters other than
// letters, digits, '-', '_' and '.', or mixing letters and digits beyond 4 characters.
func looksSecret(seg string) bool {
	if len(seg) > 12 {
		return true
	}
	digits, letters := 0, 0
	for _, r := range seg {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		case r == '-' || r == '_' || r == '.':
		default:
			return true // escaped bytes, '~', '=': not a word
		}
	}
	return digits > 0 && letters > 0 && len(seg) > 4
}
