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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractDataShare\",\"name\":\"target_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"enumReentrancyAttacker.Reenter\",\"name\":\"what\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"reject\",\"type\":\"bool\"}],\"name\":\"arm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"datasetId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastError\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"cid\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"envelope\",\"type\":\"bytes\"}],\"name\":\"publish\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"received\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reenter\",\"outputs\":[{\"internalType\":\"enumReentrancyAttacker.Reenter\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reentries\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rejectPayments\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"request\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"target\",\"outputs\":[{\"internalType\":\"contractDataShare\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "a9a71b1ccbce7231ad12b9ced7c1d1bf68",
	Bin: "0x60a060405234801561000f575f5ffd5b50604051610df0380380610df083398101604081905261002e9161003f565b6001600160a01b031660805261006c565b5f6020828403121561004f575f5ffd5b81516001600160a01b0381168114610065575f5ffd5b9392505050565b608051610d426100ae5f395f818161019d015281816102b301528181610451015281816105680152818161061e0152818161071b01526107c50152610d425ff3fe6080604052600436106100c6575f3560e01c80636578986d11610071578063d02d70191161004c578063d02d70191461042b578063d4b8399214610440578063d845a4b314610498575f5ffd5b80636578986d146103dc57806383a6deb5146103f1578063a0fe97e314610406575f5ffd5b806329f0de3f116100a157806329f0de3f1461037a5780633ccfd60b1461039b5780635a2056ba146103af575f5ffd5b8063156220651461030a5780631b6eb2f314610329578063278ecde11461035b575f5ffd5b36610306575f54610100900460ff1615610140576040517f08c379a000000000000000000000000000000000000000000000000000000000815260206004820152601060248201527f7061796d656e7473207265667573656400000000000000000000000000000000604482015260640160405180910390fd5b3460045f8282546101519190610864565b90915550505f80547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00811690915560ff1660018160028111156101965761019661087d565b03610267577f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff16633ccfd60b6040518163ffffffff1660e01b81526004015f604051808303815f87803b158015610200575f5ffd5b505af1925050508015610211575060015b610252573d80801561023e576040519150601f19603f3d011682016040523d82523d5f602084013e610243565b606091505b506003610250828261097b565b005b60028054905f61026183610a92565b91905055005b600281600281111561027b5761027b61087d565b03610250576001546040517f278ecde100000000000000000000000000000000000000000000000000000000815260048101919091527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff169063278ecde1906024015f604051808303815f87803b158015610200575b5f5ffd5b348015610315575f5ffd5b50610250610324366004610ac9565b6104ab565b348015610334575f5ffd5b50610348610343366004610b54565b610529565b6040519081526020015b60405180910390f35b348015610366575f5ffd5b50610250610375366004610bcd565b6105ef565b348015610385575f5ffd5b5061038e61068d565b6040516103529190610be4565b3480156103a6575f5ffd5b50610250610719565b3480156103ba575f5ffd5b505f546103cc90610100900460ff1681565b6040519015158152602001610352565b3480156103e7575f5ffd5b5061034860025481565b3480156103fc575f5ffd5b5061034860045481565b348015610411575f5ffd5b505f5461041e9060ff1681565b6040516103529190610c37565b348015610436575f5ffd5b5061034860015481565b34801561044b575f5ffd5b506104737f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff9091168152602001610352565b6102506104a6366004610bcd565b610796565b5f80548491907fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001660018360028111156104e7576104e761087d565b02179055506001919091555f8054911515610100027fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00ff90921691909117905550565b6040517f1b6eb2f30000000000000000000000000000000000000000000000000000000081525f9073ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001690631b6eb2f3906105a59089908990899089908990600401610cbd565b6020604051808303815f875af11580156105c1573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906105e59190610cf5565b9695505050505050565b6040517f278ecde1000000000000000000000000000000000000000000000000000000008152600481018290527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff169063278ecde1906024015f604051808303815f87803b158015610674575f5ffd5b505af1158015610686573d5f5f3e3d5ffd5b5050505050565b6003805461069a906108d7565b80601f01602080910402602001604051908101604052809291908181526020018280546106c6906108d7565b80156107115780601f106106e857610100808354040283529160200191610711565b820191905f5260205f20905b8154815290600101906020018083116106f457829003601f168201915b505050505081565b7f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff16633ccfd60b6040518163ffffffff1660e01b81526004015f604051808303815f87803b15801561077e575f5ffd5b505af1158015610790573d5f5f3e3d5ffd5b50505050565b6040517f7fdc2cdc000000000000000000000000000000000000000000000000000000008152600481018290527f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff1690637fdc2cdc9034906024015f604051808303818588803b15801561081d575f5ffd5b505af115801561082f573d5f5f3e3d5ffd5b505050505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b8082018082111561087757610877610837565b92915050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b600181811c908216806108eb57607f821691505b602082108103610922577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b601f821115610976578282111561097657805f5260205f20601f840160051c602085101561095357505f5b90810190601f840160051c035f5b8181101561082f575f83820155600101610961565b505050565b815167ffffffffffffffff811115610995576109956108aa565b6109a9816109a384546108d7565b84610928565b6020601f8211600181146109fa575f83156109c45750848201515b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600385901b1c1916600184901b178455610686565b5f848152602081207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08516915b82811015610a475787850151825560209485019460019092019101610a27565b5084821015610a8357868401517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b60f8161c191681555b50505050600190811b01905550565b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8203610ac257610ac2610837565b5060010190565b5f5f5f60608486031215610adb575f5ffd5b833560038110610ae9575f5ffd5b92506020840135915060408401358015158114610b04575f5ffd5b809150509250925092565b5f5f83601f840112610b1f575f5ffd5b50813567ffffffffffffffff811115610b36575f5ffd5b602083019150836020828501011115610b4d575f5ffd5b9250929050565b5f5f5f5f5f60608688031215610b68575f5ffd5b853567ffffffffffffffff811115610b7e575f5ffd5b610b8a88828901610b0f565b90965094505060208601359250604086013567ffffffffffffffff811115610bb0575f5ffd5b610bbc88828901610b0f565b969995985093965092949392505050565b5f60208284031215610bdd575f5ffd5b5035919050565b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b6020810160038310610c70577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b91905290565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b606081525f610cd0606083018789610c76565b8560208401528281036040840152610ce9818587610c76565b98975050505050505050565b5f60208284031215610d05575f5ffd5b505191905056fea2646970667358221220fba802c4a922882bcb67c5d5a114e8c815db30a8fa7910db6bb6136f56cb010864736f6c63430008250033",
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
