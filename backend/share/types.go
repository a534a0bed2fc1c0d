package share

import (
	"context"
	"math/big"
	"time"

	"github.com/datashare/datashare/backend/approval"
)

// Stage names a step of a publish or fetch, for progress displays.
type Stage string

const (
	StageEncrypt  Stage = "encrypt"  // hashing, encrypting and adding the payload to IPFS (bytes)
	StageMetadata Stage = "metadata" // writing the metadata document
	StageApprove  Stage = "approve"  // waiting for the account holder's approval
	StageConfirm  Stage = "confirm"  // waiting for the transaction to be mined
	StageLocate   Stage = "locate"   // reading the dataset's record and key from the chain
	StageDownload Stage = "download" // fetching the payload from IPFS (bytes, when known)
	StageDecrypt  Stage = "decrypt"  // decrypting, verifying and writing the file (bytes)
	StageDone     Stage = "done"
)

// Progress receives progress of a long operation. The engine calls it from the goroutine doing
// the work; implementations throttle their own output. Total is -1 when unknown.
type Progress interface {
	Stage(s Stage)
	Bytes(done, total int64)
}

// NoProgress discards progress.
type NoProgress struct{}

func (NoProgress) Stage(Stage)        {}
func (NoProgress) Bytes(int64, int64) {}

// ConfirmFunc asks the user to approve a transaction "on this computer"; false means rejected.
type ConfirmFunc func(ctx context.Context, s approval.Summary) (bool, error)

// PublishOptions describe a dataset being published.
type PublishOptions struct {
	Name        string   // shown to others; default: the file's base name
	Description string   //
	Price       *big.Int // wei to pay for access; nil: free on request
	Public      bool     // metadata readable by anyone (the payload is always encrypted)
	MediaType   string   // default: detected from the name and content
}

// Dataset is one of the user's datasets as the app lists it.
type Dataset struct {
	ID          uint64    `json:"id"`          // on-chain id; 0 while not yet confirmed
	JobID       string    `json:"jobId"`       // set while a publish is unfinished
	Name        string    `json:"name"`        //
	Size        int64     `json:"size"`        // plaintext bytes
	MediaType   string    `json:"mediaType"`   //
	SHA256      string    `json:"sha256"`      // hex, of the plaintext
	MetadataCID string    `json:"metadataCid"` //
	PayloadCID  string    `json:"payloadCid"`  //
	Owner       string    `json:"owner"`       // address
	Price       string    `json:"price"`       // wei, decimal
	Public      bool      `json:"public"`      //
	Version     uint64    `json:"version"`     //
	Status      string    `json:"status"`      // "published", "publishing" (running now), "failed", "interrupted" (resume or discard); "shared" in Shared's list
	Error       string    `json:"error,omitempty"`
	Stage       string    `json:"stage,omitempty"` // of an unfinished publish: created, payload, metadata, signed
	TxHash      string    `json:"txHash"`          //
	TxURL       string    `json:"txUrl"`           // block explorer link, "" on the local chain
	Block       uint64    `json:"block"`           //
	CreatedAt   time.Time `json:"createdAt"`       //
	// Grantee is, in Shared's list, the profile's account the dataset was granted to (Version:
	// the newest version it holds).
	Grantee string `json:"grantee,omitempty"`
}

// Status describes the running app: network, IPFS, account.
type Status struct {
	Network       string `json:"network"`       // "local"
	NetworkTitle  string `json:"networkTitle"`  // "Local (this computer)"
	ChainID       uint64 `json:"chainId"`       //
	RPCURL        string `json:"rpcUrl"`        //
	Contract      string `json:"contract"`      //
	IPFSMode      string `json:"ipfsMode"`      // "embedded" or "daemon"; not started: the configured mode, "auto" too
	IPFSStarted   bool   `json:"ipfsStarted"`   // false on a profile opened read-only: peers, peer id and repository size are not read
	IPFSNote      string `json:"ipfsNote"`      // why IPFS is not started, e.g. IPFSNotStarted; "" when it is
	IPFSNetwork   string `json:"ipfsNetwork"`   // "public" or "loopback": the network the embedded node joins (a daemon keeps its own)
	IPFSPeers     int    `json:"ipfsPeers"`     //
	IPFSPeerID    string `json:"ipfsPeerId"`    //
	IPFSRepoSize  int64  `json:"ipfsRepoSize"`  // bytes in the IPFS repository (the daemon's whole one)
	Account       string `json:"account"`       // address that owns datasets and pays
	Balance       string `json:"balance"`       // wei, decimal
	DeviceAddress string `json:"deviceAddress"` //
	KeysBackend   string `json:"keysBackend"`   // where secrets are kept
	DataDir       string `json:"dataDir"`       //
	Block         uint64 `json:"block"`         // latest block
	// Key says whether the account's encryption key is registered (others can share with it)
	// and is this profile's.
	Key KeyStatus `json:"key"`
	// LegacyChain is the local chain this profile ran for itself before profiles shared one,
	// when it was left in the profile because the shared one existed already: the datasets on it
	// are not visible on the shared chain. Empty otherwise.
	LegacyChain string `json:"legacyChain,omitempty"`
}

// FetchResult is what Fetch wrote.
type FetchResult struct {
	Path   string `json:"path"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Files and Kept count, for a folder dataset, the files written and those already there
	// identical to the listing.
	Files int `json:"files,omitempty"`
	Kept  int `json:"kept,omitempty"`
}
