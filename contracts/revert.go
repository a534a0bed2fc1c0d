package contracts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// RevertData extracts the revert data carried by an error from eth_call, eth_estimateGas or
// eth_sendRawTransaction, as go-ethereum's RPC client and simulated backend report it. It returns
// false when err carries no revert data.
func RevertData(err error) ([]byte, bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok || !strings.HasPrefix(s, "0x") {
		return nil, false
	}
	data, decErr := hexutil.Decode(s)
	if decErr != nil {
		return nil, false
	}
	return data, true
}

// UnpackRevert decodes revert data into one of the contract's typed errors (*DataShareNotOwner,
// *DataShareWrongPayment, …). Data shorter than a selector or with an unknown selector is an error
// (the generated UnpackError would panic on short data).
func UnpackRevert(data []byte) (any, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("revert data too short (%d bytes) for a custom error", len(data))
	}
	return NewDataShare().UnpackError(data)
}

// DecodeRevert is RevertData followed by UnpackRevert: it returns the contract's typed error carried
// by err, or false when err is not a revert with a known custom error.
func DecodeRevert(err error) (any, bool) {
	data, ok := RevertData(err)
	if !ok {
		return nil, false
	}
	v, decErr := UnpackRevert(data)
	if decErr != nil {
		return nil, false
	}
	return v, true
}
