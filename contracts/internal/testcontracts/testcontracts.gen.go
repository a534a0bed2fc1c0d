// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package testcontracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// ReentrancyAttackerMetaData contains all meta data concerning the ReentrancyAttacker contract.
var ReentrancyAttackerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractDataShare\",\"name\":\"target_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"enumReentrancyAttacker.Reenter\",\"name\":\"what\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"reject\",\"type\":\"bool\"}],\"name\":\"arm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"datasetId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastError\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"cid\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"envelope\",\"type\":\"bytes\"}],\"name\":\"publish\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"received\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reenter\",\"outputs\":[{\"internalType\":\"enumReentrancyAttacker.Reenter\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reentries\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"publicKey\",\"type\":\"bytes32\"}],\"name\":\"registerKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rejectPayments\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"request\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"target\",\"outputs\":[{\"internalType\":\"contractDataShare\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "a9a71b1ccbce7231ad12b9ced7c1d1bf68",
	Bin: "0x60a060405234801561000f575f5ffd5b50604051610e95380380610e9583398101604081905261002e9161003f565b6001600160a01b031660805261006c565b5f6020828403121561004f575f5ffd5b81516001600160a01b0381168114610065575f5ffd5b9392505050565b608051610de06100b55f395f81816101a8015281816102be0152818161047b015281816105920152818161064801528181610746015281816107f001526108630152610de05ff3fe6080604052600436106100d1575f3560e01c80636578986d1161007c578063cd80557e11610057578063cd80557e14610436578063d02d701914610455578063d4b839921461046a578063d845a4b3146104c2575f5ffd5b80636578986d146103e757806383a6deb5146103fc578063a0fe97e314610411575f5ffd5b806329f0de3f116100ac57806329f0de3f146103855780633ccfd60b146103a65780635a2056ba146103ba575f5ffd5b806315622065146103155780631b6eb2f314610334578063278ecde114610366575f5ffd5b36610311575f54610100900460ff161561014b576040517f08c379a000000000000000000000000000000000000000000000000000000000815260206004820152601060248201527f7061796d656e7473207265667573656400000000000000000000000000000000604482015260640160405180910390fd5b3460045f82825461015c9190610902565b90915550505f80547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00811690915560ff1660018160028111156101a1576101a161091b565b03610272577f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff16633ccfd60b6040518163ffffffff1660e01b81526004015f604051808303815f87803b15801561020b575f5ffd5b505af192505050801561021c575060015b61025d573d808015610249576040519150601f19603f3d011682016040523d82523d5f602084013e61024e565b606091505b50600361025b8282610a19565b005b60028054905f61026c83610b30565b91905055005b60028160028111156102865761028661091b565b0361025b576001546040517f278ecde100000000000000000000000000000000000000000000000000000000815260048101919091527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff169063278ecde1906024015f604051808303815f87803b15801561020b575b5f5ffd5b348015610320575f5ffd5b5061025b61032f366004610b67565b6104d5565b34801561033f575f5ffd5b5061035361034e366004610bf2565b610553565b6040519081526020015b60405180910390f35b348015610371575f5ffd5b5061025b610380366004610c6b565b610619565b348015610390575f5ffd5b506103996106b8565b60405161035d9190610c82565b3480156103b1575f5ffd5b5061025b610744565b3480156103c5575f5ffd5b505f546103d790610100900460ff1681565b604051901515815260200161035d565b3480156103f2575f5ffd5b5061035360025481565b348015610407575f5ffd5b5061035360045481565b34801561041c575f5ffd5b505f546104299060ff1681565b60405161035d9190610cd5565b348015610441575f5ffd5b5061025b610450366004610c6b565b6107c1565b348015610460575f5ffd5b5061035360015481565b348015610475575f5ffd5b5061049d7f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff909116815260200161035d565b61025b6104d0366004610c6b565b610834565b5f80548491907fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001660018360028111156105115761051161091b565b02179055506001919091555f8054911515610100027fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ff90921691909117905550565b6040517f1b6eb2f30000000000000000000000000000000000000000000000000000000081525f9073ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001690631b6eb2f3906105cf9089908990899089908990600401610d5b565b6020604051808303815f875af11580156105eb573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061060f9190610d93565b9695505050505050565b6040517f278ecde1000000000000000000000000000000000000000000000000000000008152600481018290527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff169063278ecde1906024015b5f604051808303815f87803b15801561069f575f5ffd5b505af11580156106b1573d5f5f3e3d5ffd5b5050505050565b600380546106c590610975565b80601f01602080910402602001604051908101604052809291908181526020018280546106f190610975565b801561073c5780601f106107135761010080835404028352916020019161073c565b820191905f5260205f20905b81548152906001019060200180831161071f57829003601f168201915b505050505081565b7f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff16633ccfd60b6040518163ffffffff1660e01b81526004015f604051808303815f87803b1580156107a9575f5ffd5b505af11580156107bb573d5f5f3e3d5ffd5b50505050565b6040517fcd80557e000000000000000000000000000000000000000000000000000000008152600481018290527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff169063cd80557e90602401610688565b6040517f7fdc2cdc000000000000000000000000000000000000000000000000000000008152600481018290527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff1690637fdc2cdc9034906024015f604051808303818588803b1580156108bb575f5ffd5b505af11580156108cd573d5f5f3e3d5ffd5b505050505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b80820180821115610915576109156108d5565b92915050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b600181811c9082168061098957607f821691505b6020821081036109c0577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b601f821115610a145782821115610a1457805f5260205f20601f840160051c60208510156109f157505f5b90810190601f840160051c035f5b818110156108cd575f838201556001016109ff565b505050565b815167ffffffffffffffff811115610a3357610a33610948565b610a4781610a418454610975565b846109c6565b6020601f821160018114610a98575f8315610a625750848201515b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600385901b1c1916600184901b1784556106b1565b5f848152602081207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08516915b82811015610ae55787850151825560209485019460019092019101610ac5565b5084821015610b2157868401517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b60f8161c191681555b50505050600190811b01905550565b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8203610b6057610b606108d5565b5060010190565b5f5f5f60608486031215610b79575f5ffd5b833560038110610b87575f5ffd5b92506020840135915060408401358015158114610ba2575f5ffd5b809150509250925092565b5f5f83601f840112610bbd575f5ffd5b50813567ffffffffffffffff811115610bd4575f5ffd5b602083019150836020828501011115610beb575f5ffd5b9250929050565b5f5f5f5f5f60608688031215610c06575f5ffd5b853567ffffffffffffffff811115610c1c575f5ffd5b610c2888828901610bad565b90965094505060208601359250604086013567ffffffffffffffff811115610c4e575f5ffd5b610c5a88828901610bad565b969995985093965092949392505050565b5f60208284031215610c7b575f5ffd5b5035919050565b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b6020810160038310610d0e577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b91905290565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b606081525f610d6e606083018789610d14565b8560208401528281036040840152610d87818587610d14565b98975050505050505050565b5f60208284031215610da3575f5ffd5b505191905056fea2646970667358221220ca8237c11012a93d04c2d3b0bea5eac68ba3ca0b6238dcf5f8c639b1af66af0d64736f6c63430008250033",
}

// ReentrancyAttacker is an auto generated Go binding around an Ethereum contract.
type ReentrancyAttacker struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ReentrancyAttacker) GetABI() abi.ABI {
	return c.abi
}

// NewReentrancyAttacker creates a new instance of ReentrancyAttacker.
func NewReentrancyAttacker() *ReentrancyAttacker {
	parsed, err := ReentrancyAttackerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ReentrancyAttacker{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ReentrancyAttacker) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address target_) returns()
func (reentrancyAttacker *ReentrancyAttacker) PackConstructor(target_ common.Address) []byte {
	enc, err := reentrancyAttacker.abi.Pack("", target_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x15622065.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arm(uint8 what, uint256 id, bool reject) returns()
func (reentrancyAttacker *ReentrancyAttacker) PackArm(what uint8, id *big.Int, reject bool) []byte {
	enc, err := reentrancyAttacker.abi.Pack("arm", what, id, reject)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x15622065.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arm(uint8 what, uint256 id, bool reject) returns()
func (reentrancyAttacker *ReentrancyAttacker) TryPackArm(what uint8, id *big.Int, reject bool) ([]byte, error) {
	return reentrancyAttacker.abi.Pack("arm", what, id, reject)
}

// PackDatasetId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd02d7019.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function datasetId() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) PackDatasetId() []byte {
	enc, err := reentrancyAttacker.abi.Pack("datasetId")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDatasetId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd02d7019.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function datasetId() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) TryPackDatasetId() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("datasetId")
}

// UnpackDatasetId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd02d7019.
//
// Solidity: function datasetId() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) UnpackDatasetId(data []byte) (*big.Int, error) {
	out, err := reentrancyAttacker.abi.Unpack("datasetId", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackLastError is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x29f0de3f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastError() view returns(bytes)
func (reentrancyAttacker *ReentrancyAttacker) PackLastError() []byte {
	enc, err := reentrancyAttacker.abi.Pack("lastError")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastError is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x29f0de3f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastError() view returns(bytes)
func (reentrancyAttacker *ReentrancyAttacker) TryPackLastError() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("lastError")
}

// UnpackLastError is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x29f0de3f.
//
// Solidity: function lastError() view returns(bytes)
func (reentrancyAttacker *ReentrancyAttacker) UnpackLastError(data []byte) ([]byte, error) {
	out, err := reentrancyAttacker.abi.Unpack("lastError", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackPublish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b6eb2f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function publish(bytes cid, uint256 price, bytes envelope) returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) PackPublish(cid []byte, price *big.Int, envelope []byte) []byte {
	enc, err := reentrancyAttacker.abi.Pack("publish", cid, price, envelope)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPublish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b6eb2f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function publish(bytes cid, uint256 price, bytes envelope) returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) TryPackPublish(cid []byte, price *big.Int, envelope []byte) ([]byte, error) {
	return reentrancyAttacker.abi.Pack("publish", cid, price, envelope)
}

// UnpackPublish is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1b6eb2f3.
//
// Solidity: function publish(bytes cid, uint256 price, bytes envelope) returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) UnpackPublish(data []byte) (*big.Int, error) {
	out, err := reentrancyAttacker.abi.Unpack("publish", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReceived is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83a6deb5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function received() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) PackReceived() []byte {
	enc, err := reentrancyAttacker.abi.Pack("received")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReceived is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83a6deb5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function received() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) TryPackReceived() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("received")
}

// UnpackReceived is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x83a6deb5.
//
// Solidity: function received() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) UnpackReceived(data []byte) (*big.Int, error) {
	out, err := reentrancyAttacker.abi.Unpack("received", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReenter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa0fe97e3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reenter() view returns(uint8)
func (reentrancyAttacker *ReentrancyAttacker) PackReenter() []byte {
	enc, err := reentrancyAttacker.abi.Pack("reenter")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReenter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa0fe97e3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reenter() view returns(uint8)
func (reentrancyAttacker *ReentrancyAttacker) TryPackReenter() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("reenter")
}

// UnpackReenter is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa0fe97e3.
//
// Solidity: function reenter() view returns(uint8)
func (reentrancyAttacker *ReentrancyAttacker) UnpackReenter(data []byte) (uint8, error) {
	out, err := reentrancyAttacker.abi.Unpack("reenter", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackReentries is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6578986d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reentries() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) PackReentries() []byte {
	enc, err := reentrancyAttacker.abi.Pack("reentries")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReentries is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6578986d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reentries() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) TryPackReentries() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("reentries")
}

// UnpackReentries is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6578986d.
//
// Solidity: function reentries() view returns(uint256)
func (reentrancyAttacker *ReentrancyAttacker) UnpackReentries(data []byte) (*big.Int, error) {
	out, err := reentrancyAttacker.abi.Unpack("reentries", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x278ecde1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refund(uint256 id) returns()
func (reentrancyAttacker *ReentrancyAttacker) PackRefund(id *big.Int) []byte {
	enc, err := reentrancyAttacker.abi.Pack("refund", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x278ecde1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refund(uint256 id) returns()
func (reentrancyAttacker *ReentrancyAttacker) TryPackRefund(id *big.Int) ([]byte, error) {
	return reentrancyAttacker.abi.Pack("refund", id)
}

// PackRegisterKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcd80557e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerKey(bytes32 publicKey) returns()
func (reentrancyAttacker *ReentrancyAttacker) PackRegisterKey(publicKey [32]byte) []byte {
	enc, err := reentrancyAttacker.abi.Pack("registerKey", publicKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcd80557e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerKey(bytes32 publicKey) returns()
func (reentrancyAttacker *ReentrancyAttacker) TryPackRegisterKey(publicKey [32]byte) ([]byte, error) {
	return reentrancyAttacker.abi.Pack("registerKey", publicKey)
}

// PackRejectPayments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5a2056ba.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rejectPayments() view returns(bool)
func (reentrancyAttacker *ReentrancyAttacker) PackRejectPayments() []byte {
	enc, err := reentrancyAttacker.abi.Pack("rejectPayments")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRejectPayments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5a2056ba.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rejectPayments() view returns(bool)
func (reentrancyAttacker *ReentrancyAttacker) TryPackRejectPayments() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("rejectPayments")
}

// UnpackRejectPayments is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5a2056ba.
//
// Solidity: function rejectPayments() view returns(bool)
func (reentrancyAttacker *ReentrancyAttacker) UnpackRejectPayments(data []byte) (bool, error) {
	out, err := reentrancyAttacker.abi.Unpack("rejectPayments", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd845a4b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function request(uint256 id) payable returns()
func (reentrancyAttacker *ReentrancyAttacker) PackRequest(id *big.Int) []byte {
	enc, err := reentrancyAttacker.abi.Pack("request", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd845a4b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function request(uint256 id) payable returns()
func (reentrancyAttacker *ReentrancyAttacker) TryPackRequest(id *big.Int) ([]byte, error) {
	return reentrancyAttacker.abi.Pack("request", id)
}

// PackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function target() view returns(address)
func (reentrancyAttacker *ReentrancyAttacker) PackTarget() []byte {
	enc, err := reentrancyAttacker.abi.Pack("target")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function target() view returns(address)
func (reentrancyAttacker *ReentrancyAttacker) TryPackTarget() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("target")
}

// UnpackTarget is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd4b83992.
//
// Solidity: function target() view returns(address)
func (reentrancyAttacker *ReentrancyAttacker) UnpackTarget(data []byte) (common.Address, error) {
	out, err := reentrancyAttacker.abi.Unpack("target", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (reentrancyAttacker *ReentrancyAttacker) PackWithdraw() []byte {
	enc, err := reentrancyAttacker.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (reentrancyAttacker *ReentrancyAttacker) TryPackWithdraw() ([]byte, error) {
	return reentrancyAttacker.abi.Pack("withdraw")
}
