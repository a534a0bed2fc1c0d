package devnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
)

// Files in DataDir next to geth's own directory.
const (
	deploymentFile = "deployment.json"
	rpcFile        = "rpc.json"
)

// ErrNotStarted: no chain has been started in the data directory yet.
var ErrNotStarted = errors.New("no local chain in this directory")

// Deployment records where DataShare lives on the local chain (deployment.json).
type Deployment struct {
	Contract      common.Address `json:"contract"`
	DeployBlock   uint64         `json:"deployBlock"`
	ChainID       uint64         `json:"chainId"`
	DeployTx      common.Hash    `json:"deployTx"`
	RefundTimeout uint64         `json:"refundTimeout"` // seconds
	// CodeHash is the Keccak-256 of the creation code (bytecode and constructor arguments) the
	// contract was deployed from; a start with a different DataShare build deploys it anew.
	CodeHash common.Hash `json:"codeHash"`
}

// rpcRecord is rpc.json: the RPC endpoint of the chain's last start.
type rpcRecord struct {
	URL     string      `json:"url"`
	Port    int         `json:"port"`
	Genesis common.Hash `json:"genesis,omitempty"` // tells this chain from another on the same port
}

// ReadDeployment reads deployment.json from a chain's data directory; ErrNotStarted if no chain
// was ever deployed there.
func ReadDeployment(dataDir string) (Deployment, error) {
	var d Deployment
	if err := readJSON(filepath.Join(dataDir, deploymentFile), &d); err != nil {
		return Deployment{}, err
	}
	if d.Contract == (common.Address{}) {
		return Deployment{}, fmt.Errorf("devnet: %s: no contract address", filepath.Join(dataDir, deploymentFile))
	}
	return d, nil
}

// JoinURL returns the RPC URL of the chain in dataDir, for a second app instance that got
// ErrInUse from Start. The URL is written by the process running the chain and stays the same
// across its restarts while the port is free; dial it to find out whether the chain is up.
func JoinURL(dataDir string) (string, error) {
	r, err := readRPCFile(dataDir)
	if err != nil {
		return "", err
	}
	return r.URL, nil
}

func readRPCFile(dir string) (rpcRecord, error) {
	var r rpcRecord
	if err := readJSON(filepath.Join(dir, rpcFile), &r); err != nil {
		return rpcRecord{}, err
	}
	if r.URL == "" {
		return rpcRecord{}, fmt.Errorf("devnet: %s: no URL", filepath.Join(dir, rpcFile))
	}
	return r, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w (%s): %w", ErrNotStarted, filepath.Dir(path), err)
	}
	if err != nil {
		return fmt.Errorf("devnet: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("devnet: %s: %w", path, err)
	}
	return nil
}

// writeJSON replaces path atomically and durably (temporary file, fsync, rename, fsync dir).
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("devnet: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("devnet: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("devnet: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("devnet: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("devnet: write %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // best effort: not supported everywhere
		d.Close()
	}
	return nil
}
