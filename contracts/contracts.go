// Package contracts holds the DataShare smart contract's Go bindings (abigen v2), generated from
// DataShare.sol with the solc version pinned in package.json.
//
// The contract records who owns each dataset, what access costs, who holds the key, and the
// escrow of paid requests; see DataShare.sol for the semantics. Callers use NewDataShare to get
// the ABI wrapper, its Pack… methods for calldata (also for a phone wallet's eth_sendTransaction),
// Unpack…Event for logs, and UnpackRevert to turn revert data into the contract's typed errors.
//
// Regenerate with `make contracts` (runs `go generate ./contracts/...`); never edit the generated
// files by hand.
package contracts

//go:generate node build.js build
//go:generate go tool abigen --v2 --combined-json build/DataShare.json --pkg contracts --out datashare.gen.go
//go:generate go tool abigen --v2 --combined-json build/testcontracts.json --pkg testcontracts --out internal/testcontracts/testcontracts.gen.go
