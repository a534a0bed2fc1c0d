// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

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

// DataShareMetaData contains all meta data concerning the DataShare contract.
var DataShareMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"refundTimeout_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"AlreadyGranted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"AlreadyRequested\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"DatasetNotFound\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyCid\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyEnvelope\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"grantee\",\"type\":\"address\"}],\"name\":\"InvalidGrantee\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidKey\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"device\",\"type\":\"address\"}],\"name\":\"InvalidOperator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NoPendingRequest\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwnerOrOperator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NothingToRevoke\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"OwnerCannotRequest\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"PriceTooHigh\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"availableAt\",\"type\":\"uint256\"}],\"name\":\"RefundNotYetAvailable\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"RevokedByOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"grantee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"envelope\",\"type\":\"bytes\"}],\"name\":\"AccessGranted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"AccessRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"grantee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refunded\",\"type\":\"uint256\"}],\"name\":\"AccessRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"publicKey\",\"type\":\"bytes32\"}],\"name\":\"KeyRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"device\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"OperatorSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"PriceChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"metadataCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"ownerEnvelope\",\"type\":\"bytes\"}],\"name\":\"Published\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"requester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Refunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"metadataCid\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"ownerEnvelope\",\"type\":\"bytes\"}],\"name\":\"Updated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"accessOf\",\"outputs\":[{\"internalType\":\"enumDataShare.Access\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"requestedAt\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"datasetCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"datasetOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"encryptionKey\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"grantee\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"envelope\",\"type\":\"bytes\"}],\"name\":\"grantAccess\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"device\",\"type\":\"address\"}],\"name\":\"isOperator\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"metadataCid\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"ownerEnvelope\",\"type\":\"bytes\"}],\"name\":\"publish\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"refundTimeout\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"publicKey\",\"type\":\"bytes32\"}],\"name\":\"registerKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"requestAccess\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"grantee\",\"type\":\"address\"}],\"name\":\"revoke\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"device\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"allowed\",\"type\":\"bool\"}],\"name\":\"setOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"setPrice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"metadataCid\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"ownerEnvelope\",\"type\":\"bytes\"}],\"name\":\"update\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"withdrawable\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "c2199964c04f4de5b72c72e42c2f027191",
	Bin: "0x60a0604052348015600e575f5ffd5b5060405161225b38038061225b833981016040819052602b916036565b60805260015f55604c565b5f602082840312156045575f5ffd5b5051919050565b6080516121f061006b5f395f81816103700152610a1f01526121f05ff3fe608060405260043610610109575f3560e01c80637fdc2cdc116100a1578063b6363cf211610071578063ce513b6f11610057578063ce513b6f14610334578063dba267831461035f578063f7d9757714610392575f5ffd5b8063b6363cf2146102cc578063cd80557e14610315575f5ffd5b80637fdc2cdc14610214578063846d9949146102275780638dfadedb14610282578063afb83d09146102ad575f5ffd5b80633ccfd60b116100dc5780633ccfd60b14610193578063525058d8146101a7578063558a7297146101c657806368629322146101e5575f5ffd5b80631b6eb2f31461010d57806320d154da1461013f578063278ecde1146101605780633c8935b91461017f575b5f5ffd5b348015610118575f5ffd5b5061012c610127366004611d69565b6103b1565b6040519081526020015b60405180910390f35b34801561014a575f5ffd5b5061015e610159366004611e05565b61053f565b005b34801561016b575f5ffd5b5061015e61017a366004611e2f565b6108d5565b34801561018a575f5ffd5b5061012c610b8a565b34801561019e575f5ffd5b5061015e610b9e565b3480156101b2575f5ffd5b5061015e6101c1366004611e46565b610c93565b3480156101d1575f5ffd5b5061015e6101e0366004611ea2565b610e39565b3480156101f0575f5ffd5b506102046101ff366004611e05565b610f38565b6040516101369493929190611f08565b61015e610222366004611e2f565b611027565b348015610232575f5ffd5b50610246610241366004611e2f565b611430565b6040805173ffffffffffffffffffffffffffffffffffffffff9094168452602084019290925267ffffffffffffffff1690820152606001610136565b34801561028d575f5ffd5b5061012c61029c366004611f69565b60046020525f908152604090205481565b3480156102b8575f5ffd5b5061015e6102c7366004611f89565b611518565b3480156102d7575f5ffd5b506103056102e6366004611fdf565b600560209081525f928352604080842090915290825290205460ff1681565b6040519015158152602001610136565b348015610320575f5ffd5b5061015e61032f366004611e2f565b6119a3565b34801561033f575f5ffd5b5061012c61034e366004611f69565b60066020525f908152604090205481565b34801561036a575f5ffd5b5061012c7f000000000000000000000000000000000000000000000000000000000000000081565b34801561039d575f5ffd5b5061015e6103ac366004612007565b611a28565b5f8481036103eb576040517f6d91186300000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f829003610425576040517f734b26ad00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6bffffffffffffffffffffffff841115610473576040517f0c3db3e7000000000000000000000000000000000000000000000000000000008152600481018590526024015b60405180910390fd5b5f8054908061048183612054565b90915550604080518082018252338082526bffffffffffffffffffffffff80891660208085019182525f878152600190915285902093519051909116740100000000000000000000000000000000000000000273ffffffffffffffffffffffffffffffffffffffff919091161790915590519192509082907f20606be95d8c142dafc05c5a34fa1cb50af68e3c2fb0941555c179ee7d1fc91c9061052e9088908b908b908a908a906120d2565b60405180910390a395945050505050565b5f61054983611b65565b5f84815260036020818152604080842073ffffffffffffffffffffffffffffffffffffffff8816855290915280832081516080810190925280549495509293909291839160ff16908111156105a0576105a0611edb565b60038111156105b1576105b1611edb565b8152905467ffffffffffffffff610100820481166020840152690100000000000000000082041660408301526bffffffffffffffffffffffff7101000000000000000000000000000000000090910416606090910152905060018151600381111561061e5761061e611edb565b1415801561063f575060028151600381111561063c5761063c611edb565b14155b15610695576040517f92d7ca140000000000000000000000000000000000000000000000000000000081526004810185905273ffffffffffffffffffffffffffffffffffffffff8416602482015260440161046a565b60408051608081018252600380825260208481015167ffffffffffffffff16818401525f8385018190526060840181905288815282825284812073ffffffffffffffffffffffffffffffffffffffff891682529091529290922081518154929391929091839160ff191690600190849081111561071457610714611edb565b02179055506020820151815460408401516060948501517fffffffffffffffffffffffffffffff00000000000000000000000000000000ff90921661010067ffffffffffffffff948516027fffffffffffffffffffffffffffffff0000000000000000ffffffffffffffffff161769010000000000000000009390911692909202919091177fffffff000000000000000000000000ffffffffffffffffffffffffffffffffff16710100000000000000000000000000000000006bffffffffffffffffffffffff92831602179091559082015116156108515780606001516bffffffffffffffffffffffff1660065f8573ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f82825461084b919061210a565b90915550505b8273ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff16857f44cc0386e2d27cf0a4d53aa262e89d728c4866b8c331db29caa559bd3721255784606001516040516108c791906bffffffffffffffffffffffff91909116815260200190565b60405180910390a450505050565b60ff5f5c1615610911576040517fab143c0600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f818152600360208181526040808420338552909152808320815160808101909252805491929091839160ff9091169081111561095e5761095e611edb565b600381111561096f5761096f611edb565b8152905467ffffffffffffffff610100820481166020840152690100000000000000000082041660408301526bffffffffffffffffffffffff710100000000000000000000000000000000009091041660609091015290506001815160038111156109dc576109dc611edb565b14610a1c576040517f92ff6b560000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161046a565b5f7f0000000000000000000000000000000000000000000000000000000000000000826040015167ffffffffffffffff16610a57919061210a565b905080421015610a9d576040517f2aa0b21a000000000000000000000000000000000000000000000000000000008152600481018490526024810182905260440161046a565b5f8381526003602090815260408083203380855290835281842080547fffffff0000000000000000000000000000000000000000000000000000000000169055868452600183529281902054606086015191516bffffffffffffffffffffffff909216825273ffffffffffffffffffffffffffffffffffffffff169186917f1c26abe6289671e3a9d493647349673af828abb9dbadff1e81762387f7cd99a3910160405180910390a460608201516bffffffffffffffffffffffff1615610b7a57610b7a3383606001516bffffffffffffffffffffffff16611c0c565b505f905060ff19815c16815d5050565b5f60015f54610b999190612123565b905090565b60ff5f5c1615610bda576040517fab143c0600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d50335f9081526006602052604081205490819003610c31576040517fd0d04f6000000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f8181526006602052604080822091909155517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d590610c749084815260200190565b60405180910390a2610c863382611c0c565b505f60ff19815c16815d50565b5f610c9d86611cc6565b90503373ffffffffffffffffffffffffffffffffffffffff821614610cf7576040517fb9c087610000000000000000000000000000000000000000000000000000000081526004810187905233602482015260440161046a565b5f849003610d31576040517f6d91186300000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f829003610d6b576040517f734b26ad00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f86815260026020526040812054610d8e9067ffffffffffffffff166001612136565b5f88815260026020526040902080547fffffffffffffffffffffffffffffffffffffffffffffffff00000000000000001667ffffffffffffffff8316179055905073ffffffffffffffffffffffffffffffffffffffff8216877f627825226fd3624f4b39e9ec8fdb79e908222c19dec5e8186643b9c1f7bb91b4610e13846001612136565b89898989604051610e28959493929190612156565b60405180910390a350505050505050565b73ffffffffffffffffffffffffffffffffffffffff82161580610e71575073ffffffffffffffffffffffffffffffffffffffff821633145b15610ec0576040517f3eaa03e300000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8316600482015260240161046a565b335f81815260056020908152604080832073ffffffffffffffffffffffffffffffffffffffff871680855290835292819020805460ff191686151590811790915590519081529192917fceb576d9f15e4e200fdb5096d64d5dfd667e16def20c1eefd14256d8e3faa267910160405180910390a35050565b5f82815260036020818152604080842073ffffffffffffffffffffffffffffffffffffffff861685529091528083208151608081019092528054849384938493849391929091839160ff90911690811115610f9557610f95611edb565b6003811115610fa657610fa6611edb565b8152905467ffffffffffffffff61010082048116602080850191909152690100000000000000000083049091166040808501919091526bffffffffffffffffffffffff71010000000000000000000000000000000000909304831660609485015284519185015193850151940151909b929a50921697509095509350505050565b5f8181526001602090815260409182902082518084019093525473ffffffffffffffffffffffffffffffffffffffff8116808452740100000000000000000000000000000000000000009091046bffffffffffffffffffffffff16918301919091526110c2576040517fbb36834d0000000000000000000000000000000000000000000000000000000081526004810183905260240161046a565b805173ffffffffffffffffffffffffffffffffffffffff163303611115576040517f9920ea8c0000000000000000000000000000000000000000000000000000000081526004810183905260240161046a565b80602001516bffffffffffffffffffffffff16341461117c5760208101516040517f0dd32d1c0000000000000000000000000000000000000000000000000000000081526bffffffffffffffffffffffff909116600482015234602482015260440161046a565b5f82815260036020908152604080832033845290915290205460ff1660018160038111156111ac576111ac611edb565b036111ec576040517f5b74baaf0000000000000000000000000000000000000000000000000000000081526004810184905233602482015260440161046a565b600281600381111561120057611200611edb565b03611240576040517f66e294f40000000000000000000000000000000000000000000000000000000081526004810184905233602482015260440161046a565b600381600381111561125457611254611edb565b03611294576040517f39680c530000000000000000000000000000000000000000000000000000000081526004810184905233602482015260440161046a565b6040805160808101825260018082525f602080840182905267ffffffffffffffff421684860152346bffffffffffffffffffffffff166060850152878252600380825285832033845290915293902082518154939491939092849260ff1990921691849081111561130757611307611edb565b021790555060208281015182546040808601516060909601517fffffffffffffffffffffffffffffff00000000000000000000000000000000ff90921661010067ffffffffffffffff948516027fffffffffffffffffffffffffffffff0000000000000000ffffffffffffffffff161769010000000000000000009390961692909202949094177fffffff000000000000000000000000ffffffffffffffffffffffffffffffffff16710100000000000000000000000000000000006bffffffffffffffffffffffff909516949094029390931790915583519151348152339273ffffffffffffffffffffffffffffffffffffffff169186917fd62937245f876eb48076464ab0f1df7295b17a2e93b4b75b4da096404632aed4910160405180910390a4505050565b5f81815260016020908152604080832081518083019092525473ffffffffffffffffffffffffffffffffffffffff8116808352740100000000000000000000000000000000000000009091046bffffffffffffffffffffffff169282019290925282918291906114cf576040517fbb36834d0000000000000000000000000000000000000000000000000000000081526004810186905260240161046a565b80516020808301515f88815260029092526040909120546114fb9067ffffffffffffffff166001612136565b9195506bffffffffffffffffffffffff1693509150509193909250565b5f61152285611b65565b905073ffffffffffffffffffffffffffffffffffffffff8416158061157257508073ffffffffffffffffffffffffffffffffffffffff168473ffffffffffffffffffffffffffffffffffffffff16145b156115c1576040517f042ab5da00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8516600482015260240161046a565b5f8290036115fb576040517f734b26ad00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f8581526002602052604081205461161e9067ffffffffffffffff166001612136565b5f87815260036020818152604080842073ffffffffffffffffffffffffffffffffffffffff8b16855290915280832081516080810190925280549495509293909291839160ff169081111561167557611675611edb565b600381111561168657611686611edb565b8152905467ffffffffffffffff610100820481166020840152690100000000000000000082041660408301526bffffffffffffffffffffffff710100000000000000000000000000000000009091041660609091015290506002815160038111156116f3576116f3611edb565b14801561171757508167ffffffffffffffff16816020015167ffffffffffffffff16145b1561176d576040517f66e294f40000000000000000000000000000000000000000000000000000000081526004810188905273ffffffffffffffffffffffffffffffffffffffff8716602482015260440161046a565b604080516080810182526002815267ffffffffffffffff84166020808301919091525f828401819052606083018190528a8152600380835284822073ffffffffffffffffffffffffffffffffffffffff8c1683529092529290922081518154929391929091839160ff19169060019084908111156117ed576117ed611edb565b02179055506020820151815460408401516060948501517fffffffffffffffffffffffffffffff00000000000000000000000000000000ff90921661010067ffffffffffffffff948516027fffffffffffffffffffffffffffffff0000000000000000ffffffffffffffffff161769010000000000000000009390911692909202919091177fffffff000000000000000000000000ffffffffffffffffffffffffffffffffff16710100000000000000000000000000000000006bffffffffffffffffffffffff928316021790915590820151161561192a5780606001516bffffffffffffffffffffffff1660065f8573ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f828254611924919061210a565b90915550505b8573ffffffffffffffffffffffffffffffffffffffff168373ffffffffffffffffffffffffffffffffffffffff16887f49c9109b3f120292dc16a31dd70b4a5b2398b9e034ae2f8fd8fc7755e3a7755c8585606001518a8a6040516119929493929190612179565b60405180910390a450505050505050565b806119da576040517f76d4e1e800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f8181526004602052604090819020839055517fcb1f69407757b7d5aabce12361a8fb207a60608a4ce9dd8ba7ac8e6dea5260c190611a1d9084815260200190565b60405180910390a250565b5f611a3283611cc6565b90503373ffffffffffffffffffffffffffffffffffffffff821614611a8c576040517fb9c087610000000000000000000000000000000000000000000000000000000081526004810184905233602482015260440161046a565b6bffffffffffffffffffffffff821115611ad5576040517f0c3db3e70000000000000000000000000000000000000000000000000000000081526004810183905260240161046a565b5f83815260016020908152604091829020805473ffffffffffffffffffffffffffffffffffffffff908116740100000000000000000000000000000000000000006bffffffffffffffffffffffff8816021790915591518481529183169185917f7b9e70728348c5a660506950e5eeb19dee00e0a53e8ce602353738185a8cd372910160405180910390a3505050565b5f611b6f82611cc6565b90503373ffffffffffffffffffffffffffffffffffffffff821614801590611bc7575073ffffffffffffffffffffffffffffffffffffffff81165f90815260056020908152604080832033845290915290205460ff16155b15611c07576040517fd6d271d90000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161046a565b919050565b5f8273ffffffffffffffffffffffffffffffffffffffff16826040515f6040518083038185875af1925050503d805f8114611c62576040519150601f19603f3d011682016040523d82523d5f602084013e611c67565b606091505b5050905080611cc1576040517f1c43b97600000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff841660048201526024810183905260440161046a565b505050565b5f8181526001602052604090205473ffffffffffffffffffffffffffffffffffffffff1680611c07576040517fbb36834d0000000000000000000000000000000000000000000000000000000081526004810183905260240161046a565b5f5f83601f840112611d34575f5ffd5b50813567ffffffffffffffff811115611d4b575f5ffd5b602083019150836020828501011115611d62575f5ffd5b9250929050565b5f5f5f5f5f60608688031215611d7d575f5ffd5b853567ffffffffffffffff811115611d93575f5ffd5b611d9f88828901611d24565b90965094505060208601359250604086013567ffffffffffffffff811115611dc5575f5ffd5b611dd188828901611d24565b969995985093965092949392505050565b803573ffffffffffffffffffffffffffffffffffffffff81168114611c07575f5ffd5b5f5f60408385031215611e16575f5ffd5b82359150611e2660208401611de2565b90509250929050565b5f60208284031215611e3f575f5ffd5b5035919050565b5f5f5f5f5f60608688031215611e5a575f5ffd5b85359450602086013567ffffffffffffffff811115611e77575f5ffd5b611e8388828901611d24565b909550935050604086013567ffffffffffffffff811115611dc5575f5ffd5b5f5f60408385031215611eb3575f5ffd5b611ebc83611de2565b915060208301358015158114611ed0575f5ffd5b809150509250929050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b6080810160048610611f41577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b94815267ffffffffffffffff9384166020820152604081019290925290911660609091015290565b5f60208284031215611f79575f5ffd5b611f8282611de2565b9392505050565b5f5f5f5f60608587031215611f9c575f5ffd5b84359350611fac60208601611de2565b9250604085013567ffffffffffffffff811115611fc7575f5ffd5b611fd387828801611d24565b95989497509550505050565b5f5f60408385031215611ff0575f5ffd5b611ff983611de2565b9150611e2660208401611de2565b5f5f60408385031215612018575f5ffd5b50508035926020909101359150565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff820361208457612084612027565b5060010190565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b858152606060208201525f6120eb60608301868861208b565b82810360408401526120fe81858761208b565b98975050505050505050565b8082018082111561211d5761211d612027565b92915050565b8181038181111561211d5761211d612027565b67ffffffffffffffff818116838216019081111561211d5761211d612027565b67ffffffffffffffff86168152606060208201525f6120eb60608301868861208b565b67ffffffffffffffff851681526bffffffffffffffffffffffff84166020820152606060408201525f6121b060608301848661208b565b969550505050505056fea2646970667358221220e2e88d38fa1aa71e5548363320fd5b50c7dc51648a47c0ba6e505a8b21d74dc364736f6c63430008250033",
}

// DataShare is an auto generated Go binding around an Ethereum contract.
type DataShare struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *DataShare) GetABI() abi.ABI {
	return c.abi
}

// NewDataShare creates a new instance of DataShare.
func NewDataShare() *DataShare {
	parsed, err := DataShareMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &DataShare{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *DataShare) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 refundTimeout_) returns()
func (dataShare *DataShare) PackConstructor(refundTimeout_ *big.Int) []byte {
	enc, err := dataShare.abi.Pack("", refundTimeout_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAccessOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68629322.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function accessOf(uint256 id, address account) view returns(uint8 state, uint64 version, uint256 escrow, uint64 requestedAt)
func (dataShare *DataShare) PackAccessOf(id *big.Int, account common.Address) []byte {
	enc, err := dataShare.abi.Pack("accessOf", id, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccessOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x68629322.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function accessOf(uint256 id, address account) view returns(uint8 state, uint64 version, uint256 escrow, uint64 requestedAt)
func (dataShare *DataShare) TryPackAccessOf(id *big.Int, account common.Address) ([]byte, error) {
	return dataShare.abi.Pack("accessOf", id, account)
}

// AccessOfOutput serves as a container for the return parameters of contract
// method AccessOf.
type AccessOfOutput struct {
	State       uint8
	Version     uint64
	Escrow      *big.Int
	RequestedAt uint64
}

// UnpackAccessOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x68629322.
//
// Solidity: function accessOf(uint256 id, address account) view returns(uint8 state, uint64 version, uint256 escrow, uint64 requestedAt)
func (dataShare *DataShare) UnpackAccessOf(data []byte) (AccessOfOutput, error) {
	out, err := dataShare.abi.Unpack("accessOf", data)
	outstruct := new(AccessOfOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.State = *abi.ConvertType(out[0], new(uint8)).(*uint8)
	outstruct.Version = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.Escrow = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	outstruct.RequestedAt = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackDatasetCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c8935b9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function datasetCount() view returns(uint256)
func (dataShare *DataShare) PackDatasetCount() []byte {
	enc, err := dataShare.abi.Pack("datasetCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDatasetCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c8935b9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function datasetCount() view returns(uint256)
func (dataShare *DataShare) TryPackDatasetCount() ([]byte, error) {
	return dataShare.abi.Pack("datasetCount")
}

// UnpackDatasetCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3c8935b9.
//
// Solidity: function datasetCount() view returns(uint256)
func (dataShare *DataShare) UnpackDatasetCount(data []byte) (*big.Int, error) {
	out, err := dataShare.abi.Unpack("datasetCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDatasetOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x846d9949.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function datasetOf(uint256 id) view returns(address owner, uint256 price, uint64 version)
func (dataShare *DataShare) PackDatasetOf(id *big.Int) []byte {
	enc, err := dataShare.abi.Pack("datasetOf", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDatasetOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x846d9949.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function datasetOf(uint256 id) view returns(address owner, uint256 price, uint64 version)
func (dataShare *DataShare) TryPackDatasetOf(id *big.Int) ([]byte, error) {
	return dataShare.abi.Pack("datasetOf", id)
}

// DatasetOfOutput serves as a container for the return parameters of contract
// method DatasetOf.
type DatasetOfOutput struct {
	Owner   common.Address
	Price   *big.Int
	Version uint64
}

// UnpackDatasetOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x846d9949.
//
// Solidity: function datasetOf(uint256 id) view returns(address owner, uint256 price, uint64 version)
func (dataShare *DataShare) UnpackDatasetOf(data []byte) (DatasetOfOutput, error) {
	out, err := dataShare.abi.Unpack("datasetOf", data)
	outstruct := new(DatasetOfOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Owner = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Price = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.Version = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackEncryptionKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8dfadedb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function encryptionKey(address account) view returns(bytes32)
func (dataShare *DataShare) PackEncryptionKey(account common.Address) []byte {
	enc, err := dataShare.abi.Pack("encryptionKey", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEncryptionKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8dfadedb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function encryptionKey(address account) view returns(bytes32)
func (dataShare *DataShare) TryPackEncryptionKey(account common.Address) ([]byte, error) {
	return dataShare.abi.Pack("encryptionKey", account)
}

// UnpackEncryptionKey is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8dfadedb.
//
// Solidity: function encryptionKey(address account) view returns(bytes32)
func (dataShare *DataShare) UnpackEncryptionKey(data []byte) ([32]byte, error) {
	out, err := dataShare.abi.Unpack("encryptionKey", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGrantAccess is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xafb83d09.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantAccess(uint256 id, address grantee, bytes envelope) returns()
func (dataShare *DataShare) PackGrantAccess(id *big.Int, grantee common.Address, envelope []byte) []byte {
	enc, err := dataShare.abi.Pack("grantAccess", id, grantee, envelope)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantAccess is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xafb83d09.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantAccess(uint256 id, address grantee, bytes envelope) returns()
func (dataShare *DataShare) TryPackGrantAccess(id *big.Int, grantee common.Address, envelope []byte) ([]byte, error) {
	return dataShare.abi.Pack("grantAccess", id, grantee, envelope)
}

// PackIsOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6363cf2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isOperator(address account, address device) view returns(bool)
func (dataShare *DataShare) PackIsOperator(account common.Address, device common.Address) []byte {
	enc, err := dataShare.abi.Pack("isOperator", account, device)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6363cf2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isOperator(address account, address device) view returns(bool)
func (dataShare *DataShare) TryPackIsOperator(account common.Address, device common.Address) ([]byte, error) {
	return dataShare.abi.Pack("isOperator", account, device)
}

// UnpackIsOperator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb6363cf2.
//
// Solidity: function isOperator(address account, address device) view returns(bool)
func (dataShare *DataShare) UnpackIsOperator(data []byte) (bool, error) {
	out, err := dataShare.abi.Unpack("isOperator", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPublish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b6eb2f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function publish(bytes metadataCid, uint256 price, bytes ownerEnvelope) returns(uint256 id)
func (dataShare *DataShare) PackPublish(metadataCid []byte, price *big.Int, ownerEnvelope []byte) []byte {
	enc, err := dataShare.abi.Pack("publish", metadataCid, price, ownerEnvelope)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPublish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b6eb2f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function publish(bytes metadataCid, uint256 price, bytes ownerEnvelope) returns(uint256 id)
func (dataShare *DataShare) TryPackPublish(metadataCid []byte, price *big.Int, ownerEnvelope []byte) ([]byte, error) {
	return dataShare.abi.Pack("publish", metadataCid, price, ownerEnvelope)
}

// UnpackPublish is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1b6eb2f3.
//
// Solidity: function publish(bytes metadataCid, uint256 price, bytes ownerEnvelope) returns(uint256 id)
func (dataShare *DataShare) UnpackPublish(data []byte) (*big.Int, error) {
	out, err := dataShare.abi.Unpack("publish", data)
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
func (dataShare *DataShare) PackRefund(id *big.Int) []byte {
	enc, err := dataShare.abi.Pack("refund", id)
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
func (dataShare *DataShare) TryPackRefund(id *big.Int) ([]byte, error) {
	return dataShare.abi.Pack("refund", id)
}

// PackRefundTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdba26783.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refundTimeout() view returns(uint256)
func (dataShare *DataShare) PackRefundTimeout() []byte {
	enc, err := dataShare.abi.Pack("refundTimeout")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefundTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdba26783.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refundTimeout() view returns(uint256)
func (dataShare *DataShare) TryPackRefundTimeout() ([]byte, error) {
	return dataShare.abi.Pack("refundTimeout")
}

// UnpackRefundTimeout is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdba26783.
//
// Solidity: function refundTimeout() view returns(uint256)
func (dataShare *DataShare) UnpackRefundTimeout(data []byte) (*big.Int, error) {
	out, err := dataShare.abi.Unpack("refundTimeout", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRegisterKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcd80557e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerKey(bytes32 publicKey) returns()
func (dataShare *DataShare) PackRegisterKey(publicKey [32]byte) []byte {
	enc, err := dataShare.abi.Pack("registerKey", publicKey)
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
func (dataShare *DataShare) TryPackRegisterKey(publicKey [32]byte) ([]byte, error) {
	return dataShare.abi.Pack("registerKey", publicKey)
}

// PackRequestAccess is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7fdc2cdc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestAccess(uint256 id) payable returns()
func (dataShare *DataShare) PackRequestAccess(id *big.Int) []byte {
	enc, err := dataShare.abi.Pack("requestAccess", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestAccess is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7fdc2cdc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestAccess(uint256 id) payable returns()
func (dataShare *DataShare) TryPackRequestAccess(id *big.Int) ([]byte, error) {
	return dataShare.abi.Pack("requestAccess", id)
}

// PackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20d154da.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revoke(uint256 id, address grantee) returns()
func (dataShare *DataShare) PackRevoke(id *big.Int, grantee common.Address) []byte {
	enc, err := dataShare.abi.Pack("revoke", id, grantee)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20d154da.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revoke(uint256 id, address grantee) returns()
func (dataShare *DataShare) TryPackRevoke(id *big.Int, grantee common.Address) ([]byte, error) {
	return dataShare.abi.Pack("revoke", id, grantee)
}

// PackSetOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x558a7297.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setOperator(address device, bool allowed) returns()
func (dataShare *DataShare) PackSetOperator(device common.Address, allowed bool) []byte {
	enc, err := dataShare.abi.Pack("setOperator", device, allowed)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x558a7297.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setOperator(address device, bool allowed) returns()
func (dataShare *DataShare) TryPackSetOperator(device common.Address, allowed bool) ([]byte, error) {
	return dataShare.abi.Pack("setOperator", device, allowed)
}

// PackSetPrice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7d97577.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setPrice(uint256 id, uint256 price) returns()
func (dataShare *DataShare) PackSetPrice(id *big.Int, price *big.Int) []byte {
	enc, err := dataShare.abi.Pack("setPrice", id, price)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetPrice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7d97577.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setPrice(uint256 id, uint256 price) returns()
func (dataShare *DataShare) TryPackSetPrice(id *big.Int, price *big.Int) ([]byte, error) {
	return dataShare.abi.Pack("setPrice", id, price)
}

// PackUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x525058d8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function update(uint256 id, bytes metadataCid, bytes ownerEnvelope) returns()
func (dataShare *DataShare) PackUpdate(id *big.Int, metadataCid []byte, ownerEnvelope []byte) []byte {
	enc, err := dataShare.abi.Pack("update", id, metadataCid, ownerEnvelope)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x525058d8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function update(uint256 id, bytes metadataCid, bytes ownerEnvelope) returns()
func (dataShare *DataShare) TryPackUpdate(id *big.Int, metadataCid []byte, ownerEnvelope []byte) ([]byte, error) {
	return dataShare.abi.Pack("update", id, metadataCid, ownerEnvelope)
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (dataShare *DataShare) PackWithdraw() []byte {
	enc, err := dataShare.abi.Pack("withdraw")
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
func (dataShare *DataShare) TryPackWithdraw() ([]byte, error) {
	return dataShare.abi.Pack("withdraw")
}

// PackWithdrawable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce513b6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawable(address account) view returns(uint256)
func (dataShare *DataShare) PackWithdrawable(account common.Address) []byte {
	enc, err := dataShare.abi.Pack("withdrawable", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce513b6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawable(address account) view returns(uint256)
func (dataShare *DataShare) TryPackWithdrawable(account common.Address) ([]byte, error) {
	return dataShare.abi.Pack("withdrawable", account)
}

// UnpackWithdrawable is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xce513b6f.
//
// Solidity: function withdrawable(address account) view returns(uint256)
func (dataShare *DataShare) UnpackWithdrawable(data []byte) (*big.Int, error) {
	out, err := dataShare.abi.Unpack("withdrawable", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// DataShareAccessGranted represents a AccessGranted event raised by the DataShare contract.
type DataShareAccessGranted struct {
	Id       *big.Int
	Owner    common.Address
	Grantee  common.Address
	Version  uint64
	Paid     *big.Int
	Envelope []byte
	Raw      *types.Log // Blockchain specific contextual infos
}

const DataShareAccessGrantedEventName = "AccessGranted"

// ContractEventName returns the user-defined event name.
func (DataShareAccessGranted) ContractEventName() string {
	return DataShareAccessGrantedEventName
}

// UnpackAccessGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AccessGranted(uint256 indexed id, address indexed owner, address indexed grantee, uint64 version, uint256 paid, bytes envelope)
func (dataShare *DataShare) UnpackAccessGrantedEvent(log *types.Log) (*DataShareAccessGranted, error) {
	event := "AccessGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareAccessGranted)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareAccessRequested represents a AccessRequested event raised by the DataShare contract.
type DataShareAccessRequested struct {
	Id        *big.Int
	Owner     common.Address
	Requester common.Address
	Amount    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const DataShareAccessRequestedEventName = "AccessRequested"

// ContractEventName returns the user-defined event name.
func (DataShareAccessRequested) ContractEventName() string {
	return DataShareAccessRequestedEventName
}

// UnpackAccessRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AccessRequested(uint256 indexed id, address indexed owner, address indexed requester, uint256 amount)
func (dataShare *DataShare) UnpackAccessRequestedEvent(log *types.Log) (*DataShareAccessRequested, error) {
	event := "AccessRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareAccessRequested)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareAccessRevoked represents a AccessRevoked event raised by the DataShare contract.
type DataShareAccessRevoked struct {
	Id       *big.Int
	Owner    common.Address
	Grantee  common.Address
	Refunded *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const DataShareAccessRevokedEventName = "AccessRevoked"

// ContractEventName returns the user-defined event name.
func (DataShareAccessRevoked) ContractEventName() string {
	return DataShareAccessRevokedEventName
}

// UnpackAccessRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AccessRevoked(uint256 indexed id, address indexed owner, address indexed grantee, uint256 refunded)
func (dataShare *DataShare) UnpackAccessRevokedEvent(log *types.Log) (*DataShareAccessRevoked, error) {
	event := "AccessRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareAccessRevoked)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareKeyRegistered represents a KeyRegistered event raised by the DataShare contract.
type DataShareKeyRegistered struct {
	Account   common.Address
	PublicKey [32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const DataShareKeyRegisteredEventName = "KeyRegistered"

// ContractEventName returns the user-defined event name.
func (DataShareKeyRegistered) ContractEventName() string {
	return DataShareKeyRegisteredEventName
}

// UnpackKeyRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event KeyRegistered(address indexed account, bytes32 publicKey)
func (dataShare *DataShare) UnpackKeyRegisteredEvent(log *types.Log) (*DataShareKeyRegistered, error) {
	event := "KeyRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareKeyRegistered)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareOperatorSet represents a OperatorSet event raised by the DataShare contract.
type DataShareOperatorSet struct {
	Account common.Address
	Device  common.Address
	Allowed bool
	Raw     *types.Log // Blockchain specific contextual infos
}

const DataShareOperatorSetEventName = "OperatorSet"

// ContractEventName returns the user-defined event name.
func (DataShareOperatorSet) ContractEventName() string {
	return DataShareOperatorSetEventName
}

// UnpackOperatorSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorSet(address indexed account, address indexed device, bool allowed)
func (dataShare *DataShare) UnpackOperatorSetEvent(log *types.Log) (*DataShareOperatorSet, error) {
	event := "OperatorSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareOperatorSet)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataSharePriceChanged represents a PriceChanged event raised by the DataShare contract.
type DataSharePriceChanged struct {
	Id    *big.Int
	Owner common.Address
	Price *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const DataSharePriceChangedEventName = "PriceChanged"

// ContractEventName returns the user-defined event name.
func (DataSharePriceChanged) ContractEventName() string {
	return DataSharePriceChangedEventName
}

// UnpackPriceChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PriceChanged(uint256 indexed id, address indexed owner, uint256 price)
func (dataShare *DataShare) UnpackPriceChangedEvent(log *types.Log) (*DataSharePriceChanged, error) {
	event := "PriceChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataSharePriceChanged)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataSharePublished represents a Published event raised by the DataShare contract.
type DataSharePublished struct {
	Id            *big.Int
	Owner         common.Address
	Price         *big.Int
	MetadataCid   []byte
	OwnerEnvelope []byte
	Raw           *types.Log // Blockchain specific contextual infos
}

const DataSharePublishedEventName = "Published"

// ContractEventName returns the user-defined event name.
func (DataSharePublished) ContractEventName() string {
	return DataSharePublishedEventName
}

// UnpackPublishedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Published(uint256 indexed id, address indexed owner, uint256 price, bytes metadataCid, bytes ownerEnvelope)
func (dataShare *DataShare) UnpackPublishedEvent(log *types.Log) (*DataSharePublished, error) {
	event := "Published"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataSharePublished)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareRefunded represents a Refunded event raised by the DataShare contract.
type DataShareRefunded struct {
	Id        *big.Int
	Owner     common.Address
	Requester common.Address
	Amount    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const DataShareRefundedEventName = "Refunded"

// ContractEventName returns the user-defined event name.
func (DataShareRefunded) ContractEventName() string {
	return DataShareRefundedEventName
}

// UnpackRefundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Refunded(uint256 indexed id, address indexed owner, address indexed requester, uint256 amount)
func (dataShare *DataShare) UnpackRefundedEvent(log *types.Log) (*DataShareRefunded, error) {
	event := "Refunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareRefunded)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareUpdated represents a Updated event raised by the DataShare contract.
type DataShareUpdated struct {
	Id            *big.Int
	Owner         common.Address
	Version       uint64
	MetadataCid   []byte
	OwnerEnvelope []byte
	Raw           *types.Log // Blockchain specific contextual infos
}

const DataShareUpdatedEventName = "Updated"

// ContractEventName returns the user-defined event name.
func (DataShareUpdated) ContractEventName() string {
	return DataShareUpdatedEventName
}

// UnpackUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Updated(uint256 indexed id, address indexed owner, uint64 version, bytes metadataCid, bytes ownerEnvelope)
func (dataShare *DataShare) UnpackUpdatedEvent(log *types.Log) (*DataShareUpdated, error) {
	event := "Updated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareUpdated)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DataShareWithdrawn represents a Withdrawn event raised by the DataShare contract.
type DataShareWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const DataShareWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (DataShareWithdrawn) ContractEventName() string {
	return DataShareWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (dataShare *DataShare) UnpackWithdrawnEvent(log *types.Log) (*DataShareWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dataShare.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DataShareWithdrawn)
	if len(log.Data) > 0 {
		if err := dataShare.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dataShare.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (dataShare *DataShare) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], dataShare.abi.Errors["AlreadyGranted"].ID.Bytes()[:4]) {
		return dataShare.UnpackAlreadyGrantedError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["AlreadyRequested"].ID.Bytes()[:4]) {
		return dataShare.UnpackAlreadyRequestedError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["DatasetNotFound"].ID.Bytes()[:4]) {
		return dataShare.UnpackDatasetNotFoundError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["EmptyCid"].ID.Bytes()[:4]) {
		return dataShare.UnpackEmptyCidError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["EmptyEnvelope"].ID.Bytes()[:4]) {
		return dataShare.UnpackEmptyEnvelopeError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["InvalidGrantee"].ID.Bytes()[:4]) {
		return dataShare.UnpackInvalidGranteeError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["InvalidKey"].ID.Bytes()[:4]) {
		return dataShare.UnpackInvalidKeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["InvalidOperator"].ID.Bytes()[:4]) {
		return dataShare.UnpackInvalidOperatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["NoPendingRequest"].ID.Bytes()[:4]) {
		return dataShare.UnpackNoPendingRequestError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return dataShare.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["NotOwnerOrOperator"].ID.Bytes()[:4]) {
		return dataShare.UnpackNotOwnerOrOperatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["NothingToRevoke"].ID.Bytes()[:4]) {
		return dataShare.UnpackNothingToRevokeError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return dataShare.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["OwnerCannotRequest"].ID.Bytes()[:4]) {
		return dataShare.UnpackOwnerCannotRequestError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["PriceTooHigh"].ID.Bytes()[:4]) {
		return dataShare.UnpackPriceTooHighError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return dataShare.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["RefundNotYetAvailable"].ID.Bytes()[:4]) {
		return dataShare.UnpackRefundNotYetAvailableError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["RevokedByOwner"].ID.Bytes()[:4]) {
		return dataShare.UnpackRevokedByOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return dataShare.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], dataShare.abi.Errors["WrongPayment"].ID.Bytes()[:4]) {
		return dataShare.UnpackWrongPaymentError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// DataShareAlreadyGranted represents a AlreadyGranted error raised by the DataShare contract.
type DataShareAlreadyGranted struct {
	Id      *big.Int
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyGranted(uint256 id, address account)
func DataShareAlreadyGrantedErrorID() common.Hash {
	return common.HexToHash("0x66e294f47479e5efe1dae82761c693d6d8c33f69c85f6a9b6ac62457ba654803")
}

// UnpackAlreadyGrantedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyGranted(uint256 id, address account)
func (dataShare *DataShare) UnpackAlreadyGrantedError(raw []byte) (*DataShareAlreadyGranted, error) {
	out := new(DataShareAlreadyGranted)
	if err := dataShare.abi.UnpackIntoInterface(out, "AlreadyGranted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareAlreadyRequested represents a AlreadyRequested error raised by the DataShare contract.
type DataShareAlreadyRequested struct {
	Id      *big.Int
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRequested(uint256 id, address account)
func DataShareAlreadyRequestedErrorID() common.Hash {
	return common.HexToHash("0x5b74baaff0f5f6530e9be4f98ff4c4858bc4d4953f0cd06dddfe26afc4fa6c83")
}

// UnpackAlreadyRequestedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRequested(uint256 id, address account)
func (dataShare *DataShare) UnpackAlreadyRequestedError(raw []byte) (*DataShareAlreadyRequested, error) {
	out := new(DataShareAlreadyRequested)
	if err := dataShare.abi.UnpackIntoInterface(out, "AlreadyRequested", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareDatasetNotFound represents a DatasetNotFound error raised by the DataShare contract.
type DataShareDatasetNotFound struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DatasetNotFound(uint256 id)
func DataShareDatasetNotFoundErrorID() common.Hash {
	return common.HexToHash("0xbb36834d31cdec29a8ecf2346a7db4dd536cf5d276939b23de24b12fbd2f1d88")
}

// UnpackDatasetNotFoundError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DatasetNotFound(uint256 id)
func (dataShare *DataShare) UnpackDatasetNotFoundError(raw []byte) (*DataShareDatasetNotFound, error) {
	out := new(DataShareDatasetNotFound)
	if err := dataShare.abi.UnpackIntoInterface(out, "DatasetNotFound", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareEmptyCid represents a EmptyCid error raised by the DataShare contract.
type DataShareEmptyCid struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyCid()
func DataShareEmptyCidErrorID() common.Hash {
	return common.HexToHash("0x6d9118639b65fd04ffbb221c92bd5ea8e5651a1b2f629809f5988f3b5477caed")
}

// UnpackEmptyCidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyCid()
func (dataShare *DataShare) UnpackEmptyCidError(raw []byte) (*DataShareEmptyCid, error) {
	out := new(DataShareEmptyCid)
	if err := dataShare.abi.UnpackIntoInterface(out, "EmptyCid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareEmptyEnvelope represents a EmptyEnvelope error raised by the DataShare contract.
type DataShareEmptyEnvelope struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyEnvelope()
func DataShareEmptyEnvelopeErrorID() common.Hash {
	return common.HexToHash("0x734b26ad9e400b37a0b24d275494e931fcc4d0895fd121c064efa0130ab3360e")
}

// UnpackEmptyEnvelopeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyEnvelope()
func (dataShare *DataShare) UnpackEmptyEnvelopeError(raw []byte) (*DataShareEmptyEnvelope, error) {
	out := new(DataShareEmptyEnvelope)
	if err := dataShare.abi.UnpackIntoInterface(out, "EmptyEnvelope", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareInvalidGrantee represents a InvalidGrantee error raised by the DataShare contract.
type DataShareInvalidGrantee struct {
	Grantee common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidGrantee(address grantee)
func DataShareInvalidGranteeErrorID() common.Hash {
	return common.HexToHash("0x042ab5da912cbd62162d23391641add546319112e2ba1d14451873ebba8d716a")
}

// UnpackInvalidGranteeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidGrantee(address grantee)
func (dataShare *DataShare) UnpackInvalidGranteeError(raw []byte) (*DataShareInvalidGrantee, error) {
	out := new(DataShareInvalidGrantee)
	if err := dataShare.abi.UnpackIntoInterface(out, "InvalidGrantee", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareInvalidKey represents a InvalidKey error raised by the DataShare contract.
type DataShareInvalidKey struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidKey()
func DataShareInvalidKeyErrorID() common.Hash {
	return common.HexToHash("0x76d4e1e8439f6d9c3d1cf835f307989788cf73aa0b95b7a7c935c1e0e543d094")
}

// UnpackInvalidKeyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidKey()
func (dataShare *DataShare) UnpackInvalidKeyError(raw []byte) (*DataShareInvalidKey, error) {
	out := new(DataShareInvalidKey)
	if err := dataShare.abi.UnpackIntoInterface(out, "InvalidKey", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareInvalidOperator represents a InvalidOperator error raised by the DataShare contract.
type DataShareInvalidOperator struct {
	Device common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidOperator(address device)
func DataShareInvalidOperatorErrorID() common.Hash {
	return common.HexToHash("0x3eaa03e38745f9ef282a3d3ae730e428a187a9075ccc2a3b7a1a318fe83d25be")
}

// UnpackInvalidOperatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidOperator(address device)
func (dataShare *DataShare) UnpackInvalidOperatorError(raw []byte) (*DataShareInvalidOperator, error) {
	out := new(DataShareInvalidOperator)
	if err := dataShare.abi.UnpackIntoInterface(out, "InvalidOperator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareNoPendingRequest represents a NoPendingRequest error raised by the DataShare contract.
type DataShareNoPendingRequest struct {
	Id      *big.Int
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoPendingRequest(uint256 id, address account)
func DataShareNoPendingRequestErrorID() common.Hash {
	return common.HexToHash("0x92ff6b56c9a3425cc35834f6ba8e7c9a5f7bb99225f0002a4365dc71d7530e3d")
}

// UnpackNoPendingRequestError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoPendingRequest(uint256 id, address account)
func (dataShare *DataShare) UnpackNoPendingRequestError(raw []byte) (*DataShareNoPendingRequest, error) {
	out := new(DataShareNoPendingRequest)
	if err := dataShare.abi.UnpackIntoInterface(out, "NoPendingRequest", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareNotOwner represents a NotOwner error raised by the DataShare contract.
type DataShareNotOwner struct {
	Id     *big.Int
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(uint256 id, address caller)
func DataShareNotOwnerErrorID() common.Hash {
	return common.HexToHash("0xb9c08761b39290edeb2eaccc82f97335f55e0538265165b6a27841798afb244b")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(uint256 id, address caller)
func (dataShare *DataShare) UnpackNotOwnerError(raw []byte) (*DataShareNotOwner, error) {
	out := new(DataShareNotOwner)
	if err := dataShare.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareNotOwnerOrOperator represents a NotOwnerOrOperator error raised by the DataShare contract.
type DataShareNotOwnerOrOperator struct {
	Id     *big.Int
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwnerOrOperator(uint256 id, address caller)
func DataShareNotOwnerOrOperatorErrorID() common.Hash {
	return common.HexToHash("0xd6d271d9d7459e56018039209987b07c4223a7715283684ae03b49b0b933204b")
}

// UnpackNotOwnerOrOperatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwnerOrOperator(uint256 id, address caller)
func (dataShare *DataShare) UnpackNotOwnerOrOperatorError(raw []byte) (*DataShareNotOwnerOrOperator, error) {
	out := new(DataShareNotOwnerOrOperator)
	if err := dataShare.abi.UnpackIntoInterface(out, "NotOwnerOrOperator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareNothingToRevoke represents a NothingToRevoke error raised by the DataShare contract.
type DataShareNothingToRevoke struct {
	Id      *big.Int
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToRevoke(uint256 id, address account)
func DataShareNothingToRevokeErrorID() common.Hash {
	return common.HexToHash("0x92d7ca14ea80a6408d9b5c7dc9cfd48c5ad37e87b1ee206467e1b7023535bf23")
}

// UnpackNothingToRevokeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToRevoke(uint256 id, address account)
func (dataShare *DataShare) UnpackNothingToRevokeError(raw []byte) (*DataShareNothingToRevoke, error) {
	out := new(DataShareNothingToRevoke)
	if err := dataShare.abi.UnpackIntoInterface(out, "NothingToRevoke", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareNothingToWithdraw represents a NothingToWithdraw error raised by the DataShare contract.
type DataShareNothingToWithdraw struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw()
func DataShareNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xd0d04f60bf4f7629141a1f00f5d2908fa0f3e15bf4cbf8bb8edc6fcbdf2509fa")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw()
func (dataShare *DataShare) UnpackNothingToWithdrawError(raw []byte) (*DataShareNothingToWithdraw, error) {
	out := new(DataShareNothingToWithdraw)
	if err := dataShare.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareOwnerCannotRequest represents a OwnerCannotRequest error raised by the DataShare contract.
type DataShareOwnerCannotRequest struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnerCannotRequest(uint256 id)
func DataShareOwnerCannotRequestErrorID() common.Hash {
	return common.HexToHash("0x9920ea8cc04118c8881f31addcec6cd686a97461efec26466ab153db0af46940")
}

// UnpackOwnerCannotRequestError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnerCannotRequest(uint256 id)
func (dataShare *DataShare) UnpackOwnerCannotRequestError(raw []byte) (*DataShareOwnerCannotRequest, error) {
	out := new(DataShareOwnerCannotRequest)
	if err := dataShare.abi.UnpackIntoInterface(out, "OwnerCannotRequest", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataSharePriceTooHigh represents a PriceTooHigh error raised by the DataShare contract.
type DataSharePriceTooHigh struct {
	Price *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PriceTooHigh(uint256 price)
func DataSharePriceTooHighErrorID() common.Hash {
	return common.HexToHash("0x0c3db3e7028229021e7398af39dd78e7c6beab1061bb63d694c7e9ff70ca539c")
}

// UnpackPriceTooHighError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PriceTooHigh(uint256 price)
func (dataShare *DataShare) UnpackPriceTooHighError(raw []byte) (*DataSharePriceTooHigh, error) {
	out := new(DataSharePriceTooHigh)
	if err := dataShare.abi.UnpackIntoInterface(out, "PriceTooHigh", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareReentrancy represents a Reentrancy error raised by the DataShare contract.
type DataShareReentrancy struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrancy()
func DataShareReentrancyErrorID() common.Hash {
	return common.HexToHash("0xab143c06c9772d69bbbc9f2fe74acd02f810e93b099f3d1dac8448ac9ae35991")
}

// UnpackReentrancyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrancy()
func (dataShare *DataShare) UnpackReentrancyError(raw []byte) (*DataShareReentrancy, error) {
	out := new(DataShareReentrancy)
	if err := dataShare.abi.UnpackIntoInterface(out, "Reentrancy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareRefundNotYetAvailable represents a RefundNotYetAvailable error raised by the DataShare contract.
type DataShareRefundNotYetAvailable struct {
	Id          *big.Int
	AvailableAt *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RefundNotYetAvailable(uint256 id, uint256 availableAt)
func DataShareRefundNotYetAvailableErrorID() common.Hash {
	return common.HexToHash("0x2aa0b21a4febc5a4d832241dedb3c393e362a93af1d5a6fffcc3abca5f30c990")
}

// UnpackRefundNotYetAvailableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RefundNotYetAvailable(uint256 id, uint256 availableAt)
func (dataShare *DataShare) UnpackRefundNotYetAvailableError(raw []byte) (*DataShareRefundNotYetAvailable, error) {
	out := new(DataShareRefundNotYetAvailable)
	if err := dataShare.abi.UnpackIntoInterface(out, "RefundNotYetAvailable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareRevokedByOwner represents a RevokedByOwner error raised by the DataShare contract.
type DataShareRevokedByOwner struct {
	Id      *big.Int
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RevokedByOwner(uint256 id, address account)
func DataShareRevokedByOwnerErrorID() common.Hash {
	return common.HexToHash("0x39680c535079704591869b51c51ca41e34cca0a458fd3e7cd4137fb050045072")
}

// UnpackRevokedByOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RevokedByOwner(uint256 id, address account)
func (dataShare *DataShare) UnpackRevokedByOwnerError(raw []byte) (*DataShareRevokedByOwner, error) {
	out := new(DataShareRevokedByOwner)
	if err := dataShare.abi.UnpackIntoInterface(out, "RevokedByOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareTransferFailed represents a TransferFailed error raised by the DataShare contract.
type DataShareTransferFailed struct {
	To     common.Address
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func DataShareTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x1c43b9761b3fba5321ca8212bfc231945f668ccc0c446f333999eea9ce8fda81")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func (dataShare *DataShare) UnpackTransferFailedError(raw []byte) (*DataShareTransferFailed, error) {
	out := new(DataShareTransferFailed)
	if err := dataShare.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DataShareWrongPayment represents a WrongPayment error raised by the DataShare contract.
type DataShareWrongPayment struct {
	Price *big.Int
	Sent  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPayment(uint256 price, uint256 sent)
func DataShareWrongPaymentErrorID() common.Hash {
	return common.HexToHash("0x0dd32d1c3ef0af2f42e38a7f633c5c154da0aa1d3a58e8dcd04bcd6fb310ac9d")
}

// UnpackWrongPaymentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPayment(uint256 price, uint256 sent)
func (dataShare *DataShare) UnpackWrongPaymentError(raw []byte) (*DataShareWrongPayment, error) {
	out := new(DataShareWrongPayment)
	if err := dataShare.abi.UnpackIntoInterface(out, "WrongPayment", raw); err != nil {
		return nil, err
	}
	return out, nil
}
