package chain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/contracts"
)

// Errors callers branch on. They are wrapped with details; test with errors.Is.
var (
	// ErrWrongNetwork: the node serves another chain than the one configured.
	ErrWrongNetwork = errors.New("wrong network")
	// ErrNoContract: there is no DataShare contract at the configured address on this chain.
	ErrNoContract = errors.New("no DataShare contract")
	// ErrUnavailable: the node could not be reached, refused the connection, timed out or
	// answered with an HTTP error (5xx, 429).
	ErrUnavailable = errors.New("Ethereum node unavailable")
	// ErrInsufficientFunds: the account cannot pay the value plus the most the fee can be.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrTxFailed: the transaction was mined but failed (receipt status 0).
	ErrTxFailed = errors.New("the transaction failed on chain")
	// ErrNotFound: the dataset does not exist. A *RevertError with
	// *contracts.DataShareDatasetNotFound matches it.
	ErrNotFound = errors.New("not found")
	// ErrReplaced: a journaled transaction can no longer be mined because another transaction
	// from the same account used its nonce.
	ErrReplaced = errors.New("transaction replaced")
	// ErrNonceGap: a journaled transaction cannot be mined before earlier transactions of the same
	// account; resubmit those first (in nonce order).
	ErrNonceGap = errors.New("earlier transactions missing")
	// ErrPending: the transaction is not mined yet (still waiting in the node's pool after the
	// wait bound). Nothing is lost: resume it later.
	ErrPending = errors.New("transaction not mined yet")
	// ErrDropped: the transaction is neither on chain nor in the node's pool, and its nonce is
	// free: it can be sent again.
	ErrDropped = errors.New("transaction not known to the node")
)

// Timeouts of single calls to the node, on top of the caller's context.
const (
	dialTimeout = 10 * time.Second
	callTimeout = 20 * time.Second
)

// Client talks to one Ethereum node about one DataShare contract. It is safe for concurrent use.
type Client struct {
	url      string // redacted, for messages
	rpc      *rpc.Client
	eth      *ethclient.Client
	chainID  uint64
	signer   types.Signer
	contract common.Address
	abi      *contracts.DataShare
	timeout  time.Duration
	maxWait  time.Duration   // the longest wait for one transaction (DefaultMaxWait)
	logRange uint64          // blocks per eth_getLogs call
	http     *http.Transport // of an http(s) URL; Close closes its idle connections

	mu     sync.Mutex
	nonces map[common.Address]*nonceState
}

// Dial connects to the node at rpcURL (http, https, ws, wss or an IPC path) and checks that it
// serves chain chainID (ErrWrongNetwork names both ids) and that a DataShare contract is deployed
// at contract (ErrNoContract). A node that cannot be reached gives ErrUnavailable.
func Dial(ctx context.Context, rpcURL string, chainID uint64, contract common.Address) (*Client, error) {
	shown := RedactURL(rpcURL)
	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	// A transport of its own, whose idle connections Close closes: a connection the transport
	// opened but never used (two calls at once, one served by another connection) would
	// otherwise make the embedded local chain's shutdown wait 5 s for it.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	rc, err := rpc.DialOptions(dctx, rpcURL, rpc.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		redactErr(err)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if isUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w at %s: %w", ErrUnavailable, shown, err)
		}
		return nil, fmt.Errorf("connect to %s: %w", shown, err)
	}
	c := newClient(rc, shown, chainID, contract)
	c.http = tr
	if err := c.check(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func newClient(rc *rpc.Client, shown string, chainID uint64, contract common.Address) *Client {
	return &Client{
		url:      shown,
		rpc:      rc,
		eth:      ethclient.NewClient(rc),
		chainID:  chainID,
		signer:   types.LatestSignerForChainID(new(big.Int).SetUint64(chainID)),
		contract: contract,
		abi:      contracts.NewDataShare(),
		timeout:  callTimeout,
		maxWait:  DefaultMaxWait,
		logRange: MaxLogRange,
		nonces:   make(map[common.Address]*nonceState),
	}
}

// check verifies the chain id and the contract.
func (c *Client) check(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	id, err := c.eth.ChainID(cctx)
	if err != nil {
		return c.netErr(ctx, "eth_chainId", err)
	}
	if !id.IsUint64() || id.Uint64() != c.chainID {
		return fmt.Errorf("%w: %s serves %s, not %s", ErrWrongNetwork, c.url, networkName(id), networkName(new(big.Int).SetUint64(c.chainID)))
	}
	code, err := c.eth.CodeAt(cctx, c.contract, nil)
	if err != nil {
		return c.netErr(ctx, "eth_getCode", err)
	}
	if len(code) == 0 {
		return fmt.Errorf("%w: no contract code at %s on %s", ErrNoContract, c.contract.Hex(), networkName(id))
	}
	// A contract that does not answer DataShare's views is not DataShare.
	if _, err := c.call(ctx, c.abi.PackDatasetCount()); err != nil {
		if errors.Is(err, ErrUnavailable) || ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("%w: the contract at %s is not DataShare (%v)", ErrNoContract, c.contract.Hex(), err)
	}
	return nil
}

// Close closes the connection. In-flight calls fail.
func (c *Client) Close() {
	c.rpc.Close()
	if c.http != nil {
		c.http.CloseIdleConnections()
	}
}

// ChainID is the chain id checked by Dial.
func (c *Client) ChainID() uint64 { return c.chainID }

// Contract is the DataShare contract's address.
func (c *Client) Contract() common.Address { return c.contract }

// URL is the node's URL without path or query (which may hold an API key).
func (c *Client) URL() string { return c.url }

// Eth is the underlying go-ethereum client, for what this package does not wrap. Bound its calls
// with a context deadline.
func (c *Client) Eth() *ethclient.Client { return c.eth }

// Balance is the account's balance in wei at the latest block.
func (c *Client) Balance(ctx context.Context, a common.Address) (*big.Int, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	b, err := c.eth.BalanceAt(cctx, a, nil)
	if err != nil {
		return nil, c.netErr(ctx, "balance of "+a.Hex(), err)
	}
	return b, nil
}

// BlockNumber is the number of the latest block.
func (c *Client) BlockNumber(ctx context.Context) (uint64, error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	n, err := c.eth.BlockNumber(cctx)
	if err != nil {
		return 0, c.netErr(ctx, "eth_blockNumber", err)
	}
	return n, nil
}

// BlockHash is the hash of block n; found is false when the chain has no such block (it rolled
// back, or is not there yet).
func (c *Client) BlockHash(ctx context.Context, n uint64) (_ common.Hash, found bool, _ error) {
	cctx, cancel := c.callCtx(ctx)
	defer cancel()
	h, err := c.eth.HeaderByNumber(cctx, new(big.Int).SetUint64(n))
	if errors.Is(err, ethereum.NotFound) {
		return common.Hash{}, false, nil
	}
	if err != nil {
		return common.Hash{}, false, c.netErr(ctx, fmt.Sprintf("block %d", n), err)
	}
	return h.Hash(), true, nil
}

func (c *Client) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// netErr wraps an error from a call to the node: the caller's cancellation as is, network
// failures and timeouts as ErrUnavailable, anything else with what was being done.
func (c *Client) netErr(ctx context.Context, what string, err error) error {
	redactErr(err)
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	if isUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %s at %s: %w", ErrUnavailable, what, c.url, withoutURL(err))
	}
	return fmt.Errorf("%s: %w", what, err)
}

// withoutURL drops the HTTP client's `Post "URL":` prefix from err: the message names the
// node's URL already.
func withoutURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) && urlErr == err {
		return urlErr.Err
	}
	return err
}

// isUnavailable reports whether err means the node could not be reached or is overloaded, as
// opposed to an answer from the node.
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) {
		return true
	}
	var he rpc.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode >= 500 || he.StatusCode == 429 || he.StatusCode == 408
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var urlErr *url.Error
	if errors.As(err, &opErr) || errors.As(err, &dnsErr) {
		return true
	}
	if errors.As(err, &urlErr) {
		return true // the HTTP request got no response
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, rpc.ErrClientQuit) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// redactErr removes the path and query from the URL inside an HTTP client error (they may hold
// an API key). It edits the error in place: the error is fresh from the HTTP client.
func redactErr(err error) {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		urlErr.URL = RedactURL(urlErr.URL)
	}
}

// RedactURL is config.RedactURL: an RPC URL without the API keys it may hold, for messages and
// logs.
func RedactURL(raw string) string { return config.RedactURL(raw) }

// networkName names well-known chain ids for messages.
func networkName(id *big.Int) string {
	names := map[uint64]string{
		1:        "Ethereum mainnet",
		11155111: "Sepolia",
		17000:    "Holesky",
		560048:   "Hoodi",
		8453:     "Base",
		84532:    "Base Sepolia",
		10:       "OP mainnet",
		11155420: "OP Sepolia",
		42161:    "Arbitrum One",
		421614:   "Arbitrum Sepolia",
		1337:     "the local dev chain",
	}
	if id.IsUint64() {
		if n, ok := names[id.Uint64()]; ok {
			return fmt.Sprintf("chain id %s (%s)", id, n)
		}
	}
	return "chain id " + id.String()
}
