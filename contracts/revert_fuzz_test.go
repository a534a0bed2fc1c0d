package contracts

import (
	"bytes"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// fuzzABI is the contract's ABI, its custom errors sorted by name.
func fuzzABI(tb testing.TB) (abi.ABI, []string) {
	a, err := DataShareMetaData.ParseABI()
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for n := range a.Errors {
		names = append(names, n)
	}
	slices.Sort(names)
	return *a, names
}

// fuzzArgs makes values for args from seed bytes: uint256, address, bool, bytes, bytes32, string.
func fuzzArgs(tb testing.TB, args abi.Arguments, seed []byte) []any {
	next := func(n int) []byte {
		b := make([]byte, n)
		copy(b, seed)
		if len(seed) > n {
			seed = seed[n:]
		} else {
			seed = nil
		}
		return b
	}
	var vals []any
	for _, a := range args {
		switch a.Type.String() {
		case "uint256":
			vals = append(vals, new(big.Int).SetBytes(next(32)))
		case "uint64":
			vals = append(vals, new(big.Int).SetBytes(next(8)).Uint64())
		case "address":
			vals = append(vals, common.BytesToAddress(next(20)))
		case "bool":
			vals = append(vals, next(1)[0]&1 == 1)
		case "bytes32":
			vals = append(vals, [32]byte(next(32)))
		case "bytes":
			vals = append(vals, next(int(next(1)[0])))
		case "string":
			vals = append(vals, string(next(int(next(1)[0]))))
		default:
			tb.Fatalf("fuzzArgs: add the type %s", a.Type)
		}
	}
	return vals
}

// FuzzUnpackRevert feeds UnpackRevert revert data (from any node, for any contract call).
// Properties: no panic (the generated UnpackError panics on short data); data shorter than a
// selector is an error; an accepted value is one of the contract's error types, whose fields
// packed again under its selector decode to the same value; every custom error packed from
// arbitrary arguments decodes to those arguments.
func FuzzUnpackRevert(f *testing.F) {
	a, names := fuzzABI(f)
	for i, n := range names {
		e := a.Errors[n]
		packed, err := e.Inputs.Pack(fuzzArgs(f, e.Inputs, []byte{byte(i), 1, 2, 3})...)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append(e.ID.Bytes()[:4:4], packed...), uint8(i), []byte{byte(i)})
	}
	f.Add([]byte{0x08, 0xc3, 0x79, 0xa0}, uint8(0), []byte(nil)) // Error(string), not a custom error
	f.Add([]byte{1, 2}, uint8(3), []byte("x"))
	f.Fuzz(func(t *testing.T, data []byte, which uint8, seed []byte) {
		v, err := UnpackRevert(data)
		if len(data) < 4 && err == nil {
			t.Fatalf("accepted %d bytes", len(data))
		}
		if err == nil {
			name := strings.TrimPrefix(fmt.Sprintf("%T", v), "*contracts.DataShare")
			e, ok := a.Errors[name]
			if !ok || !bytes.Equal(data[:4], e.ID.Bytes()[:4]) {
				t.Fatalf("%x decoded to %T", data, v)
			}
			checkFields(t, e, v, data[:4])
		}
		// Round trip from arguments.
		e := a.Errors[names[int(which)%len(names)]]
		args := fuzzArgs(t, e.Inputs, seed)
		packed, err := e.Inputs.Pack(args...)
		if err != nil {
			t.Fatal(err)
		}
		v, err = UnpackRevert(append(e.ID.Bytes()[:4:4], packed...))
		if err != nil {
			t.Fatalf("%s%v: %v", e.Name, args, err)
		}
		got := fields(t, e, v)
		if !reflect.DeepEqual(fmt.Sprint(got), fmt.Sprint(args)) {
			t.Fatalf("%s: packed %v, unpacked %v", e.Name, args, got)
		}
	})
}

// fields returns the values of v's fields in the order of e's inputs.
func fields(t *testing.T, e abi.Error, v any) []any {
	rv := reflect.ValueOf(v).Elem()
	var out []any
	for _, in := range e.Inputs {
		f := rv.FieldByName(abi.ToCamelCase(in.Name))
		if !f.IsValid() {
			t.Fatalf("%T has no field for %s", v, in.Name)
		}
		out = append(out, f.Interface())
	}
	return out
}

// checkFields packs v's fields again under selector and checks they decode to the same value.
func checkFields(t *testing.T, e abi.Error, v any, selector []byte) {
	vals := fields(t, e, v)
	packed, err := e.Inputs.Pack(vals...)
	if err != nil {
		t.Fatalf("re-pack %s%v: %v", e.Name, vals, err)
	}
	v2, err := UnpackRevert(append(slices.Clone(selector), packed...))
	if err != nil || fmt.Sprint(fields(t, e, v2)) != fmt.Sprint(vals) {
		t.Fatalf("%s: decoded %v, then %v (%v)", e.Name, vals, v2, err)
	}
}
