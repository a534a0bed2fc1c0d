package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestParseAddress(t *testing.T) {
	good := "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" // EIP-55 test vector
	for _, c := range []struct {
		in      string
		want    string
		errPart string
	}{
		{good, good, ""},
		{strings.ToLower(good), good, ""},
		{"0x" + strings.ToUpper(good[2:]), good, ""},
		{"  " + good + "\n", good, ""},
		{good[2:], "", "must start with 0x"},
		{"0x1234", "", "40 hex digits"},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeZ", "", "40 hex digits"},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "", "checksum"},
		{"", "", "must start with 0x"},
	} {
		got, err := ParseAddress(c.in)
		if c.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("ParseAddress(%q) error = %v, want one mentioning %q", c.in, err, c.errPart)
			}
			continue
		}
		if err != nil || got.Hex() != c.want {
			t.Errorf("ParseAddress(%q) = %s, %v; want %s", c.in, got.Hex(), err, c.want)
		}
	}
}

func TestResolveNetwork(t *testing.T) {
	n, err := ResolveNetwork("", Settings{})
	if err != nil || n.Name != Local || !n.Embedded || n.ChainID != 1337 {
		t.Fatalf("default network = %+v, %v", n, err)
	}
	if _, err := ResolveNetwork("mainnet", Settings{}); err == nil || !strings.Contains(err.Error(), "unknown network") {
		t.Fatalf("unknown network error = %v", err)
	}
	if _, err := ResolveNetwork("sepolia", Settings{}); err == nil || !strings.Contains(err.Error(), "RPC URL") {
		t.Fatalf("sepolia without RPC error = %v", err)
	}
	s := Settings{Networks: map[string]NetworkSettings{"sepolia": {RPCURL: "http://127.0.0.1:8545"}}}
	if _, err := ResolveNetwork("sepolia", s); err == nil || !strings.Contains(err.Error(), "no DataShare contract") {
		t.Fatalf("sepolia without contract error = %v", err)
	}
	addr := "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
	s.Networks["sepolia"] = NetworkSettings{RPCURL: "http://127.0.0.1:8545", Contract: addr}
	n, err = ResolveNetwork("sepolia", s)
	if err != nil || n.Contract != common.HexToAddress(addr) || n.ChainID != 11155111 {
		t.Fatalf("sepolia = %+v, %v", n, err)
	}
	if got := n.TxURL("0xab"); got != "https://sepolia.etherscan.io/tx/0xab" {
		t.Fatalf("TxURL = %q", got)
	}
	s.Networks["custom"] = NetworkSettings{RPCURL: "http://127.0.0.1:9", Contract: addr, ChainID: 31337}
	if n, err = ResolveNetwork("custom", s); err != nil || n.ChainID != 31337 {
		t.Fatalf("custom = %+v, %v", n, err)
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := LoadSettings(dir)
	if err != nil || s.Network != "" {
		t.Fatalf("missing settings = %+v, %v", s, err)
	}
	s.Network, s.IPFS = "sepolia", "embedded"
	if err := SaveSettings(dir, s); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSettings(dir)
	if err != nil || got.Network != "sepolia" || got.IPFS != "embedded" {
		t.Fatalf("reloaded = %+v, %v", got, err)
	}
	if err := os.WriteFile(filepath.Join(dir, settingsFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSettings(dir); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged settings error = %v", err)
	}
}

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("DATASHARE_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "/x/data")
	if d, _ := DefaultDataDir(); d != "/x/data/datashare" {
		t.Fatalf("DefaultDataDir = %q", d)
	}
	t.Setenv("DATASHARE_DATA_DIR", "/y/profile")
	if d, _ := DefaultDataDir(); d != "/y/profile" {
		t.Fatalf("DefaultDataDir with override = %q", d)
	}
}

func TestDefaultLocalnetDir(t *testing.T) {
	t.Setenv(EnvLocalnetDir, "")
	t.Setenv("DATASHARE_DATA_DIR", "/y/profile") // picks a profile: does not move the shared chain
	t.Setenv("XDG_DATA_HOME", "/x/data")
	d, err := DefaultLocalnetDir()
	if runtime.GOOS == "linux" && (err != nil || d != "/x/data/datashare-localnet") {
		t.Fatalf("DefaultLocalnetDir = %q, %v", d, err)
	}
	if p, _ := DefaultDataDir(); d == p || filepath.Dir(d) == p {
		t.Fatalf("the local chain %q is inside the profile %q", d, p)
	}
	t.Setenv("DATASHARE_DATA_DIR", "")
	if p, _ := DefaultDataDir(); filepath.Dir(p) != filepath.Dir(d) {
		t.Fatalf("the local chain %q is not beside the default profile %q", d, p)
	}
	t.Setenv(EnvLocalnetDir, "/z/chain")
	if d, _ := DefaultLocalnetDir(); d != "/z/chain" {
		t.Fatalf("DefaultLocalnetDir with override = %q", d)
	}
	t.Chdir(t.TempDir())
	t.Setenv(EnvLocalnetDir, "chain")
	if d, _ := DefaultLocalnetDir(); !filepath.IsAbs(d) || filepath.Base(d) != "chain" {
		t.Fatalf("a relative override gave %q, not an absolute path", d)
	}
}

func TestCheckWalletConnect(t *testing.T) {
	for _, c := range []struct {
		relay, project, wantRelay, wantProject, errPart string
	}{
		{"", "", "", "", ""},
		{" wss://relay.example/ ", "ABCDEF0123456789abcdef0123456789", "wss://relay.example/", "abcdef0123456789abcdef0123456789", ""},
		{"ws://127.0.0.1:9", "", "ws://127.0.0.1:9", "", ""},
		{"https://relay.example", "", "", "", "ws:// or wss://"},
		{"wss://", "", "", "", "ws:// or wss://"},
		{"wss://u:p@relay.example", "", "", "", "user name or password"},
		{"wss://relay.example/?projectId=x", "", "", "", "? or #"},
		{"", "1234", "", "", "32 characters"},
		{"", "zz" + strings.Repeat("0", 30), "", "", "32 characters"},
	} {
		r, p, err := CheckWalletConnect(c.relay, c.project)
		if c.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("CheckWalletConnect(%q, %q) error = %v, want %q", c.relay, c.project, err, c.errPart)
			}
			continue
		}
		if err != nil || r != c.wantRelay || p != c.wantProject {
			t.Errorf("CheckWalletConnect(%q, %q) = %q, %q, %v", c.relay, c.project, r, p, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
		{"http://127.0.0.1:8545/", "http://127.0.0.1:8545"},
		{"https://sepolia.infura.io/v3/0123456789abcdef0123456789abcdef", "https://sepolia.infura.io/v3/…"},
		{"https://eth-sepolia.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWxYz012345", "https://eth-sepolia.g.alchemy.com/v2/…"},
		{"https://rpc.ankr.com/eth_sepolia/6c5e2b1f9d", "https://rpc.ankr.com/eth_sepolia/…"},
		{"https://example-name.quiknode.pro/a1b2c3d4/", "https://example-name.quiknode.pro/…"},
		{"wss://eth.example.org/?apikey=secret", "wss://eth.example.org?apikey=…"},
		{"https://rpc.example.org/v1/mainnet?key=s3cr3t&x=1", "https://rpc.example.org/v1/mainnet?key=…&x=…"},
		{"https://user:pass@rpc.example.org", "https://…@rpc.example.org"},
		{"https://apikey@rpc.example.org/rpc", "https://…@rpc.example.org/rpc"},
		{"https://rpc.example.org/%73ecret", "https://rpc.example.org/…"},
		{"https://rpc.example.org/#fragment-key", "https://rpc.example.org"},
		{"https://rpc.example.org/secret-api-key", "https://rpc.example.org/…"},
		{"https://rpc.example.org/evm/11155111", "https://rpc.example.org/evm/11155111"},
		{"https://rpc.example.org/base_sepolia/rpc", "https://rpc.example.org/base_sepolia/rpc"},
		{"https://rpc.example.org/abcdefghijklmnop", "https://rpc.example.org/…"},
		{"/run/geth.ipc", "/run/geth.ipc"},
		{"http://[::1]:8545/rpc", "http://[::1]:8545/rpc"},
		{"http://bad host/v3/secretsecretsecret", "the configured URL"},
		{"rpc.example.org/v3/secretsecretsecret?k=1", "the configured URL"},
	} {
		got := RedactURL(tc.in)
		if got != tc.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, secret := range []string{"0123456789abcdef", "AbCdEf", "6c5e2b", "a1b2c3d4", "secret", "abcdefghijklmnop", "s3cr3t", "pass", "apikey@"} {
			if strings.Contains(tc.in, secret) && strings.Contains(got, secret) {
				t.Errorf("RedactURL(%q) = %q still shows %q", tc.in, got, secret)
			}
		}
	}
}
