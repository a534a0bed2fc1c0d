package chain

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/contracts"
)

// fuzzLog makes a log from bytes: n topics of 32 bytes each, the rest is data.
func fuzzLog(n uint8, b []byte) *types.Log {
	l := &types.Log{}
	for range n % 5 {
		var h common.Hash
		copy(h[:], b)
		b = b[min(32, len(b)):]
		l.Topics = append(l.Topics, h)
	}
	l.Data = b
	return l
}

// FuzzUnpackEvents feeds the unpackers that filterEvents uses logs from any node. Properties:
// no panic; a log with no topics, or whose first topic is not the event's, is an error; a
// Published event built from arbitrary fields unpacks to the same fields.
func FuzzUnpackEvents(f *testing.F) {
	ds := contracts.NewDataShare()
	a, err := contracts.DataShareMetaData.ParseABI()
	if err != nil {
		f.Fatal(err)
	}
	published := a.Events["Published"]
	data, err := published.Inputs.NonIndexed().Pack(big.NewInt(5), []byte("cid"), []byte("envelope"))
	if err != nil {
		f.Fatal(err)
	}
	seed := append(append(published.ID.Bytes(), common.BigToHash(big.NewInt(1)).Bytes()...), common.BytesToHash([]byte{0xaa}).Bytes()...)
	f.Add(uint8(3), append(seed, data...), uint64(1), []byte{0xaa}, uint64(5), []byte("cid"), []byte("envelope"))
	f.Add(uint8(1), a.Events["AccessGranted"].ID.Bytes(), uint64(0), []byte(nil), uint64(0), []byte(nil), []byte(nil))
	f.Add(uint8(0), []byte{}, uint64(0), []byte(nil), uint64(0), []byte(nil), []byte(nil))
	f.Fuzz(func(t *testing.T, topics uint8, raw []byte, id uint64, owner []byte, price uint64, cid, envelope []byte) {
		l := fuzzLog(topics, raw)
		check := func(event string, err error) {
			if err == nil && (len(l.Topics) == 0 || l.Topics[0] != a.Events[event].ID) {
				t.Fatalf("%s accepted a log with topics %v", event, l.Topics)
			}
		}
		_, err := ds.UnpackPublishedEvent(l)
		check("Published", err)
		_, err = ds.UnpackAccessGrantedEvent(l)
		check("AccessGranted", err)
		_, err = ds.UnpackAccessRequestedEvent(l)
		check("AccessRequested", err)
		_, err = ds.UnpackAccessRevokedEvent(l)
		check("AccessRevoked", err)
		_, err = ds.UnpackDeclinedEvent(l)
		check("Declined", err)
		_, err = ds.UnpackRefundedEvent(l)
		check("Refunded", err)

		// Round trip.
		addr := common.BytesToAddress(owner)
		data, err := published.Inputs.NonIndexed().Pack(new(big.Int).SetUint64(price), cid, envelope)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := ds.UnpackPublishedEvent(&types.Log{
			Topics: []common.Hash{published.ID, common.BigToHash(new(big.Int).SetUint64(id)), common.BytesToHash(addr.Bytes())},
			Data:   data,
		})
		if err != nil {
			t.Fatalf("unpack a packed Published: %v", err)
		}
		if ev.Id.Uint64() != id || ev.Owner != addr || ev.Price.Uint64() != price || !bytes.Equal(ev.MetadataCid, cid) || !bytes.Equal(ev.OwnerEnvelope, envelope) {
			t.Fatalf("Published(%d, %s, %d, %x, %x) unpacked to %+v", id, addr, price, cid, envelope, ev)
		}
	})
}
