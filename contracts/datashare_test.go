package contracts_test

import (
	"bytes"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/contracts"
)

// Access states as the contract numbers them.
const (
	stNone uint8 = iota
	stRequested
	stGranted
	stRevoked
)

var maxPrice = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))

func TestRegisterKey(t *testing.T) {
	e := newBareEnv(t, 2)
	key := [32]byte{1, 2, 3}
	r := e.must(1, ds.PackRegisterKey(key), nil)
	ev := mustEvent(t, r, ds.UnpackKeyRegisteredEvent)
	if ev.Account != e.acct[1] || ev.PublicKey != key {
		t.Fatalf("event = %+v", ev)
	}
	if got := view(e, ds.PackEncryptionKey(e.acct[1]), ds.UnpackEncryptionKey); got != key {
		t.Fatalf("encryptionKey = %x, want %x", got, key)
	}
	// Replacing the key is allowed; the view follows.
	key2 := [32]byte{9}
	e.must(1, ds.PackRegisterKey(key2), nil)
	if got := view(e, ds.PackEncryptionKey(e.acct[1]), ds.UnpackEncryptionKey); got != key2 {
		t.Fatalf("encryptionKey after replace = %x", got)
	}
	if got := view(e, ds.PackEncryptionKey(e.acct[0]), ds.UnpackEncryptionKey); got != [32]byte{} {
		t.Fatalf("unregistered account has key %x", got)
	}
	_, err := e.tx(1, ds.PackRegisterKey([32]byte{}), nil)
	wantRevert(t, err, &contracts.DataShareInvalidKey{})
}

func TestSetOperator(t *testing.T) {
	e := newEnv(t, 2)
	owner, device := e.acct[0], e.acct[1]
	r := e.must(0, ds.PackSetOperator(device, true), nil)
	ev := mustEvent(t, r, ds.UnpackOperatorSetEvent)
	if ev.Account != owner || ev.Device != device || !ev.Allowed {
		t.Fatalf("event = %+v", ev)
	}
	if !view(e, ds.PackIsOperator(owner, device), ds.UnpackIsOperator) {
		t.Fatal("isOperator false after adding")
	}
	if view(e, ds.PackIsOperator(device, owner), ds.UnpackIsOperator) {
		t.Fatal("operator relation is not directional")
	}
	r = e.must(0, ds.PackSetOperator(device, false), nil)
	if ev := mustEvent(t, r, ds.UnpackOperatorSetEvent); ev.Allowed {
		t.Fatalf("remove event = %+v", ev)
	}
	if view(e, ds.PackIsOperator(owner, device), ds.UnpackIsOperator) {
		t.Fatal("isOperator true after removing")
	}
	_, err := e.tx(0, ds.PackSetOperator(common.Address{}, true), nil)
	wantRevert(t, err, &contracts.DataShareInvalidOperator{Device: common.Address{}})
	_, err = e.tx(0, ds.PackSetOperator(owner, true), nil)
	wantRevert(t, err, &contracts.DataShareInvalidOperator{Device: owner})
}

func TestPublish(t *testing.T) {
	e := newEnv(t, 2)
	price := milli(5)
	r := e.must(1, ds.PackPublish(testCID, price, testEnvelope), nil)
	ev := mustEvent(t, r, ds.UnpackPublishedEvent)
	if ev.Id.Int64() != 1 || ev.Owner != e.acct[1] || ev.Price.Cmp(price) != 0 ||
		!bytes.Equal(ev.MetadataCid, testCID) || !bytes.Equal(ev.OwnerEnvelope, testEnvelope) {
		t.Fatalf("event = %+v", ev)
	}
	if id := e.publish(0, maxPrice); id != 2 {
		t.Fatalf("second id = %d, want 2", id)
	}
	info := view(e, ds.PackDatasetOf(big.NewInt(1)), ds.UnpackDatasetOf)
	if info.Owner != e.acct[1] || info.Price.Cmp(price) != 0 || info.Version != 1 {
		t.Fatalf("datasetOf(1) = %+v", info)
	}
	wantBig(t, "datasetCount", view(e, ds.PackDatasetCount(), ds.UnpackDatasetCount), big.NewInt(2))

	tooHigh := add(maxPrice, big.NewInt(1))
	for _, c := range []struct {
		name     string
		cid, env []byte
		price    *big.Int
		want     any
	}{
		{"empty CID", nil, testEnvelope, price, &contracts.DataShareEmptyCid{}},
		{"empty envelope", testCID, nil, price, &contracts.DataShareEmptyEnvelope{}},
		{"price above 2^96-1", testCID, testEnvelope, tooHigh, &contracts.DataSharePriceTooHigh{Price: tooHigh}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(1, ds.PackPublish(c.cid, c.price, c.env), nil)
			wantRevert(t, err, c.want)
		})
	}
	_, err := call(e, ds.PackDatasetOf(big.NewInt(3)), ds.UnpackDatasetOf)
	wantRevert(t, err, &contracts.DataShareDatasetNotFound{Id: big.NewInt(3)})
	_, err = call(e, ds.PackDatasetOf(big.NewInt(0)), ds.UnpackDatasetOf)
	wantRevert(t, err, &contracts.DataShareDatasetNotFound{Id: big.NewInt(0)})
	wantBig(t, "datasetCount after failures", view(e, ds.PackDatasetCount(), ds.UnpackDatasetCount), big.NewInt(2))
}

func TestUpdate(t *testing.T) {
	e := newEnv(t, 2)
	id := e.publish(0, nil)
	cid2 := append([]byte{}, testCID...)
	cid2[35] ^= 0xff
	r := e.must(0, ds.PackUpdate(big.NewInt(id), cid2, testEnvelope), nil)
	ev := mustEvent(t, r, ds.UnpackUpdatedEvent)
	if ev.Id.Int64() != id || ev.Owner != e.acct[0] || ev.Version != 2 || !bytes.Equal(ev.MetadataCid, cid2) {
		t.Fatalf("event = %+v", ev)
	}
	e.must(0, ds.PackUpdate(big.NewInt(id), testCID, testEnvelope), nil)
	if v := view(e, ds.PackDatasetOf(big.NewInt(id)), ds.UnpackDatasetOf).Version; v != 3 {
		t.Fatalf("version = %d, want 3", v)
	}
	_, err := e.tx(1, ds.PackUpdate(big.NewInt(id), testCID, testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNotOwner{Id: big.NewInt(id), Caller: e.acct[1]})
	_, err = e.tx(0, ds.PackUpdate(big.NewInt(7), testCID, testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareDatasetNotFound{Id: big.NewInt(7)})
	_, err = e.tx(0, ds.PackUpdate(big.NewInt(id), nil, testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareEmptyCid{})
	_, err = e.tx(0, ds.PackUpdate(big.NewInt(id), testCID, nil), nil)
	wantRevert(t, err, &contracts.DataShareEmptyEnvelope{})
}

func TestSetPrice(t *testing.T) {
	e := newEnv(t, 2)
	id := e.publish(0, milli(1))
	r := e.must(0, ds.PackSetPrice(big.NewInt(id), milli(3)), nil)
	if ev := mustEvent(t, r, ds.UnpackPriceChangedEvent); ev.Price.Cmp(milli(3)) != 0 || ev.Owner != e.acct[0] {
		t.Fatalf("event = %+v", ev)
	}
	wantBig(t, "price", view(e, ds.PackDatasetOf(big.NewInt(id)), ds.UnpackDatasetOf).Price, milli(3))
	_, err := e.tx(1, ds.PackSetPrice(big.NewInt(id), new(big.Int)), nil)
	wantRevert(t, err, &contracts.DataShareNotOwner{Id: big.NewInt(id), Caller: e.acct[1]})
	tooHigh := add(maxPrice, big.NewInt(1))
	_, err = e.tx(0, ds.PackSetPrice(big.NewInt(id), tooHigh), nil)
	wantRevert(t, err, &contracts.DataSharePriceTooHigh{Price: tooHigh})
	_, err = e.tx(0, ds.PackSetPrice(big.NewInt(9), new(big.Int)), nil)
	wantRevert(t, err, &contracts.DataShareDatasetNotFound{Id: big.NewInt(9)})
}

func TestConstructor(t *testing.T) {
	e := newBareEnv(t, 1)
	wantBig(t, "refundTimeout", view(e, ds.PackRefundTimeout(), ds.UnpackRefundTimeout), big.NewInt(refundTimeout))
	// A zero timeout would let a buyer take the escrow back before the owner could answer.
	_, err := e.send(0, nil, append(common.FromHex(contracts.DataShareMetaData.Bin), ds.PackConstructor(new(big.Int))...), nil)
	wantRevert(t, err, &contracts.DataShareZeroRefundTimeout{})
}

func TestRequestAccess(t *testing.T) {
	e := newBareEnv(t, 5)
	noKey := 4
	for i := range noKey {
		e.must(i, ds.PackRegisterKey(testKey(i)), nil)
	}
	price := milli(10)
	id := e.publish(0, price)
	big1 := big.NewInt(id)

	r := e.must(1, ds.PackRequestAccess(big1), price)
	ev := mustEvent(t, r, ds.UnpackAccessRequestedEvent)
	if ev.Id.Int64() != id || ev.Owner != e.acct[0] || ev.Requester != e.acct[1] || ev.Amount.Cmp(price) != 0 {
		t.Fatalf("event = %+v", ev)
	}
	head, _ := e.client.HeaderByNumber(t.Context(), nil)
	a := e.access(id, e.acct[1])
	if a.State != stRequested || a.Escrow.Cmp(price) != 0 || a.RequestedAt != head.Time || a.Version != 0 ||
		a.RefundableAt.Uint64() != head.Time+refundTimeout {
		t.Fatalf("accessOf = %+v", a)
	}
	wantBig(t, "contract balance", e.balance(e.addr), price)

	for _, c := range []struct {
		name  string
		from  int
		id    *big.Int
		value *big.Int
		want  any
	}{
		{"unknown dataset", 2, big.NewInt(99), price, &contracts.DataShareDatasetNotFound{Id: big.NewInt(99)}},
		{"owner", 0, big1, price, &contracts.DataShareOwnerCannotRequest{Id: big1}},
		{"no encryption key", noKey, big1, price, &contracts.DataShareNoEncryptionKey{Account: e.acct[noKey]}},
		{"too little", 2, big1, sub(price, big.NewInt(1)), &contracts.DataShareWrongPayment{Price: price, Sent: sub(price, big.NewInt(1))}},
		{"too much", 2, big1, add(price, big.NewInt(1)), &contracts.DataShareWrongPayment{Price: price, Sent: add(price, big.NewInt(1))}},
		{"nothing", 2, big1, nil, &contracts.DataShareWrongPayment{Price: price, Sent: new(big.Int)}},
		{"pending", 1, big1, price, &contracts.DataShareAlreadyRequested{Id: big1, Account: e.acct[1]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(c.from, ds.PackRequestAccess(c.id), c.value)
			wantRevert(t, err, c.want)
		})
	}
	if a := e.access(id, e.acct[noKey]); a.State != stNone {
		t.Fatalf("refused request left %+v", a)
	}
	// Once it registered a key, the account may request.
	e.must(noKey, ds.PackRegisterKey(testKey(noKey)), nil)
	e.must(noKey, ds.PackRequestAccess(big1), price)

	e.must(0, ds.PackFulfil(big1, e.acct[1], testEnvelope), nil)
	_, err := e.tx(1, ds.PackRequestAccess(big1), price)
	wantRevert(t, err, &contracts.DataShareAlreadyGranted{Id: big1, Account: e.acct[1]})

	// A holder of an older version may request (and pay for) the current one; it keeps the
	// version it holds while the request is pending.
	e.must(0, ds.PackUpdate(big1, testCID, testEnvelope), nil)
	e.must(1, ds.PackRequestAccess(big1), price)
	if a := e.access(id, e.acct[1]); a.State != stRequested || a.Version != 1 || a.Escrow.Cmp(price) != 0 {
		t.Fatalf("request of version 2 by a holder of version 1: %+v", a)
	}
	_, err = e.tx(1, ds.PackRequestAccess(big1), price)
	wantRevert(t, err, &contracts.DataShareAlreadyRequested{Id: big1, Account: e.acct[1]})

	e.must(2, ds.PackRequestAccess(big1), price)
	e.must(0, ds.PackRevoke(big1, e.acct[2]), nil)
	_, err = e.tx(2, ds.PackRequestAccess(big1), price)
	wantRevert(t, err, &contracts.DataShareRevokedByOwner{Id: big1, Account: e.acct[2]})

	// A free dataset is requested with no payment and holds no escrow.
	free := e.publish(0, nil)
	e.must(3, ds.PackRequestAccess(big.NewInt(free)), nil)
	if a := e.access(free, e.acct[3]); a.State != stRequested || a.Escrow.Sign() != 0 {
		t.Fatalf("free request = %+v", a)
	}
}

// TestFulfil answers requests: the escrow goes to the owner, and a request that is no longer
// pending (refunded, declined, answered) cannot be answered, so a buyer who took the money back
// cannot also get the key from a late answer.
func TestFulfil(t *testing.T) {
	e := newEnv(t, 6)
	owner, buyer, late, stranger, device, old := 0, 1, 2, 3, 4, 5
	price := milli(20)
	id := e.publish(owner, price)
	bid := big.NewInt(id)
	e.must(owner, ds.PackSetOperator(e.acct[device], true), nil)

	e.must(buyer, ds.PackRequestAccess(bid), price)
	r := e.must(owner, ds.PackFulfil(bid, e.acct[buyer], testEnvelope), nil)
	ev := mustEvent(t, r, ds.UnpackAccessGrantedEvent)
	if ev.Id.Int64() != id || ev.Owner != e.acct[owner] || ev.Grantee != e.acct[buyer] || ev.Version != 1 ||
		ev.Paid.Cmp(price) != 0 || !ev.Fulfilled || !bytes.Equal(ev.Envelope, testEnvelope) {
		t.Fatalf("event = %+v", ev)
	}
	if a := e.access(id, e.acct[buyer]); a.State != stGranted || a.Version != 1 || a.Escrow.Sign() != 0 || a.RequestedAt != 0 || a.RefundableAt.Sign() != 0 {
		t.Fatalf("accessOf(buyer) = %+v", a)
	}
	wantBig(t, "owner withdrawable", e.withdrawable(e.acct[owner]), price)
	wantBig(t, "contract balance", e.balance(e.addr), price)

	// The late answer: the buyer refunds after the timeout, then the owner's answer arrives.
	e.must(late, ds.PackRequestAccess(bid), price)
	if err := e.adjustTime(refundTimeout * time.Second); err != nil {
		t.Fatal(err)
	}
	e.sim.Commit()
	e.must(late, ds.PackRefund(bid), nil)
	_, err := e.tx(device, ds.PackFulfil(bid, e.acct[late], testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[late]})
	if a := e.access(id, e.acct[late]); a.State != stNone {
		t.Fatalf("late answer left %+v", a)
	}

	// A holder of version 1 pays for version 2 and gets it from an operator.
	e.must(owner, ds.PackGrantAccess(bid, e.acct[old], testEnvelope), nil)
	e.must(owner, ds.PackUpdate(bid, testCID, testEnvelope), nil)
	e.must(old, ds.PackRequestAccess(bid), price)
	r = e.must(device, ds.PackFulfil(bid, e.acct[old], testEnvelope), nil)
	if ev := mustEvent(t, r, ds.UnpackAccessGrantedEvent); ev.Version != 2 || ev.Paid.Cmp(price) != 0 || !ev.Fulfilled || ev.Owner != e.acct[owner] {
		t.Fatalf("fulfil by operator event = %+v", ev)
	}
	if a := e.access(id, e.acct[old]); a.State != stGranted || a.Version != 2 {
		t.Fatalf("accessOf(old) = %+v", a)
	}
	wantBig(t, "owner withdrawable after two sales", e.withdrawable(e.acct[owner]), add(price, price))
	wantBig(t, "operator earns nothing", e.withdrawable(e.acct[device]), new(big.Int))

	e.must(stranger, ds.PackRequestAccess(bid), price)
	for _, c := range []struct {
		name      string
		from      int
		id        *big.Int
		requester common.Address
		env       []byte
		want      any
	}{
		{"stranger", stranger, bid, e.acct[stranger], testEnvelope, &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[stranger]}},
		{"unknown dataset", owner, big.NewInt(5), e.acct[stranger], testEnvelope, &contracts.DataShareDatasetNotFound{Id: big.NewInt(5)}},
		{"empty envelope", owner, bid, e.acct[stranger], nil, &contracts.DataShareEmptyEnvelope{}},
		{"already answered", owner, bid, e.acct[buyer], testEnvelope, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[buyer]}},
		{"never requested", owner, bid, e.acct[device], testEnvelope, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[device]}},
		{"the owner", owner, bid, e.acct[owner], testEnvelope, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[owner]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(c.from, ds.PackFulfil(c.id, c.requester, c.env), nil)
			wantRevert(t, err, c.want)
		})
	}
	// A declined request cannot be answered either.
	e.must(owner, ds.PackDecline(bid, e.acct[stranger]), nil)
	_, err = e.tx(owner, ds.PackFulfil(bid, e.acct[stranger], testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[stranger]})
}

// TestDecline declines requests without banning: the escrow is credited back, an older version
// stays granted, and the account may request again.
func TestDecline(t *testing.T) {
	e := newEnv(t, 5)
	owner, buyer, holder, stranger, device := 0, 1, 2, 3, 4
	price := milli(9)
	id := e.publish(owner, price)
	bid := big.NewInt(id)

	e.must(buyer, ds.PackRequestAccess(bid), price)
	r := e.must(owner, ds.PackDecline(bid, e.acct[buyer]), nil)
	ev := mustEvent(t, r, ds.UnpackDeclinedEvent)
	if ev.Id.Int64() != id || ev.Owner != e.acct[owner] || ev.Requester != e.acct[buyer] || ev.Refunded.Cmp(price) != 0 {
		t.Fatalf("event = %+v", ev)
	}
	if a := e.access(id, e.acct[buyer]); a.State != stNone || a.Version != 0 || a.Escrow.Sign() != 0 || a.RefundableAt.Sign() != 0 {
		t.Fatalf("accessOf(buyer) = %+v", a)
	}
	wantBig(t, "buyer withdrawable", e.withdrawable(e.acct[buyer]), price)
	wantBig(t, "owner withdrawable", e.withdrawable(e.acct[owner]), new(big.Int))
	wantBig(t, "contract holds the credit", e.balance(e.addr), price)
	// Not banned: it may ask again.
	e.must(buyer, ds.PackRequestAccess(bid), price)

	// A holder of version 1 asks for version 2, is declined, and keeps version 1.
	e.must(owner, ds.PackGrantAccess(bid, e.acct[holder], testEnvelope), nil)
	e.must(owner, ds.PackUpdate(bid, testCID, testEnvelope), nil)
	e.must(holder, ds.PackRequestAccess(bid), price)
	e.must(owner, ds.PackSetOperator(e.acct[device], true), nil)
	r = e.must(device, ds.PackDecline(bid, e.acct[holder]), nil)
	if ev := mustEvent(t, r, ds.UnpackDeclinedEvent); ev.Owner != e.acct[owner] || ev.Refunded.Cmp(price) != 0 {
		t.Fatalf("decline by operator event = %+v", ev)
	}
	if a := e.access(id, e.acct[holder]); a.State != stGranted || a.Version != 1 || a.Escrow.Sign() != 0 {
		t.Fatalf("accessOf(holder) = %+v", a)
	}
	wantBig(t, "holder withdrawable", e.withdrawable(e.acct[holder]), price)

	for _, c := range []struct {
		name      string
		from      int
		id        *big.Int
		requester common.Address
		want      any
	}{
		{"stranger", stranger, bid, e.acct[buyer], &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[stranger]}},
		{"unknown dataset", owner, big.NewInt(8), e.acct[buyer], &contracts.DataShareDatasetNotFound{Id: big.NewInt(8)}},
		{"no request", owner, bid, e.acct[stranger], &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[stranger]}},
		{"granted, no request", owner, bid, e.acct[holder], &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[holder]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(c.from, ds.PackDecline(c.id, c.requester), nil)
			wantRevert(t, err, c.want)
		})
	}
	// A revoked account has no pending request to decline.
	e.must(owner, ds.PackRevoke(bid, e.acct[buyer]), nil)
	_, err := e.tx(owner, ds.PackDecline(bid, e.acct[buyer]), nil)
	wantRevert(t, err, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[buyer]})
}

func TestGrantAccess(t *testing.T) {
	e := newEnv(t, 5)
	owner, buyer, friend, stranger, device := 0, 1, 2, 3, 4
	price := milli(20)
	id := e.publish(owner, price)
	bid := big.NewInt(id)

	// A direct grant to an account with a pending request answers it: the account receives
	// what it paid for, so the escrow moves to the owner's withdrawable balance.
	e.must(buyer, ds.PackRequestAccess(bid), price)
	r := e.must(owner, ds.PackGrantAccess(bid, e.acct[buyer], testEnvelope), nil)
	ev := mustEvent(t, r, ds.UnpackAccessGrantedEvent)
	if ev.Id.Int64() != id || ev.Owner != e.acct[owner] || ev.Grantee != e.acct[buyer] || ev.Version != 1 ||
		ev.Paid.Cmp(price) != 0 || !ev.Fulfilled || !bytes.Equal(ev.Envelope, testEnvelope) {
		t.Fatalf("event = %+v", ev)
	}
	if a := e.access(id, e.acct[buyer]); a.State != stGranted || a.Version != 1 || a.Escrow.Sign() != 0 || a.RequestedAt != 0 {
		t.Fatalf("accessOf(buyer) = %+v", a)
	}
	wantBig(t, "owner withdrawable", e.withdrawable(e.acct[owner]), price)

	// Direct sharing: no request, nothing paid.
	r = e.must(owner, ds.PackGrantAccess(bid, e.acct[friend], testEnvelope), nil)
	if ev := mustEvent(t, r, ds.UnpackAccessGrantedEvent); ev.Paid.Sign() != 0 || ev.Fulfilled || ev.Grantee != e.acct[friend] {
		t.Fatalf("direct grant event = %+v", ev)
	}
	wantBig(t, "owner withdrawable after direct grant", e.withdrawable(e.acct[owner]), price)

	for _, c := range []struct {
		name    string
		from    int
		id      *big.Int
		grantee common.Address
		env     []byte
		want    any
	}{
		{"stranger", stranger, bid, e.acct[stranger], testEnvelope, &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[stranger]}},
		{"unknown dataset", owner, big.NewInt(5), e.acct[stranger], testEnvelope, &contracts.DataShareDatasetNotFound{Id: big.NewInt(5)}},
		{"zero grantee", owner, bid, common.Address{}, testEnvelope, &contracts.DataShareInvalidGrantee{Grantee: common.Address{}}},
		{"owner as grantee", owner, bid, e.acct[owner], testEnvelope, &contracts.DataShareInvalidGrantee{Grantee: e.acct[owner]}},
		{"empty envelope", owner, bid, e.acct[stranger], nil, &contracts.DataShareEmptyEnvelope{}},
		{"same version twice", owner, bid, e.acct[buyer], testEnvelope, &contracts.DataShareAlreadyGranted{Id: bid, Account: e.acct[buyer]}},
		{"operator not yet added", device, bid, e.acct[stranger], testEnvelope, &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[device]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(c.from, ds.PackGrantAccess(c.id, c.grantee, c.env), nil)
			wantRevert(t, err, c.want)
		})
	}

	// A new version may be granted to an existing grantee.
	e.must(owner, ds.PackUpdate(bid, testCID, testEnvelope), nil)
	r = e.must(owner, ds.PackGrantAccess(bid, e.acct[buyer], testEnvelope), nil)
	if ev := mustEvent(t, r, ds.UnpackAccessGrantedEvent); ev.Version != 2 || ev.Paid.Sign() != 0 || ev.Fulfilled {
		t.Fatalf("re-grant event = %+v", ev)
	}
	// The owner may grant a revoked account again.
	e.must(owner, ds.PackRevoke(bid, e.acct[friend]), nil)
	e.must(owner, ds.PackGrantAccess(bid, e.acct[friend], testEnvelope), nil)
	if a := e.access(id, e.acct[friend]); a.State != stGranted || a.Version != 2 {
		t.Fatalf("re-granted revoked account: %+v", a)
	}
}

// TestGrantMany gives the current version to accounts in every state in one transaction and
// checks each record, each event and the money; a bad batch changes nothing.
func TestGrantMany(t *testing.T) {
	e := newEnv(t, 8)
	owner, fresh, buyer, oldHolder, revoked, current, stranger, device := 0, 1, 2, 3, 4, 5, 6, 7
	price := milli(15)
	id := e.publish(owner, price)
	bid := big.NewInt(id)
	e.must(owner, ds.PackGrantAccess(bid, e.acct[oldHolder], testEnvelope), nil)
	e.must(owner, ds.PackGrantAccess(bid, e.acct[revoked], testEnvelope), nil)
	e.must(owner, ds.PackRevoke(bid, e.acct[revoked]), nil)
	e.must(owner, ds.PackUpdate(bid, testCID, testEnvelope), nil)
	e.must(buyer, ds.PackRequestAccess(bid), price)
	e.must(owner, ds.PackGrantAccess(bid, e.acct[current], testEnvelope), nil)
	e.must(owner, ds.PackSetOperator(e.acct[device], true), nil)

	envs := func(n int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = append(slices.Clone(testEnvelope), byte(i)) // a distinct envelope per grantee
		}
		return out
	}
	accts := func(is ...int) []common.Address {
		var out []common.Address
		for _, i := range is {
			out = append(out, e.acct[i])
		}
		return out
	}
	bad := []struct {
		name      string
		from      int
		id        *big.Int
		grantees  []common.Address
		envelopes [][]byte
		want      any
	}{
		{"no grantees", owner, bid, nil, nil, &contracts.DataShareNoGrantees{}},
		{"more envelopes", owner, bid, accts(fresh), envs(2), &contracts.DataShareLengthMismatch{Grantees: big.NewInt(1), Envelopes: big.NewInt(2)}},
		{"fewer envelopes", owner, bid, accts(fresh, buyer), envs(1), &contracts.DataShareLengthMismatch{Grantees: big.NewInt(2), Envelopes: big.NewInt(1)}},
		{"owner among grantees", owner, bid, accts(fresh, owner), envs(2), &contracts.DataShareInvalidGrantee{Grantee: e.acct[owner]}},
		{"zero address among grantees", owner, bid, []common.Address{e.acct[fresh], {}}, envs(2), &contracts.DataShareInvalidGrantee{Grantee: common.Address{}}},
		{"an empty envelope", owner, bid, accts(fresh, buyer), [][]byte{testEnvelope, nil}, &contracts.DataShareEmptyEnvelope{}},
		{"an empty envelope for a current holder", owner, bid, accts(fresh, current), [][]byte{testEnvelope, nil}, &contracts.DataShareEmptyEnvelope{}},
		{"stranger", stranger, bid, accts(fresh), envs(1), &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[stranger]}},
		{"unknown dataset", owner, big.NewInt(3), accts(fresh), envs(1), &contracts.DataShareDatasetNotFound{Id: big.NewInt(3)}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(c.from, ds.PackGrantMany(c.id, c.grantees, c.envelopes), nil)
			wantRevert(t, err, c.want)
		})
	}
	if a := e.access(id, e.acct[fresh]); a.State != stNone {
		t.Fatalf("a refused batch left %+v", a)
	}

	grantees := accts(fresh, buyer, oldHolder, revoked, current, fresh)
	envelopes := envs(len(grantees))
	r := e.must(device, ds.PackGrantMany(bid, grantees, envelopes), nil)
	evs := grantedEvents(r)
	// The current holder and the second mention of fresh are skipped.
	want := []struct {
		who       int
		paid      *big.Int
		fulfilled bool
		env       []byte
	}{
		{fresh, new(big.Int), false, envelopes[0]},
		{buyer, price, true, envelopes[1]},
		{oldHolder, new(big.Int), false, envelopes[2]},
		{revoked, new(big.Int), false, envelopes[3]},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d AccessGranted events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		ev := evs[i]
		if ev.Grantee != e.acct[w.who] || ev.Owner != e.acct[owner] || ev.Version != 2 || ev.Paid.Cmp(w.paid) != 0 ||
			ev.Fulfilled != w.fulfilled || !bytes.Equal(ev.Envelope, w.env) || ev.Id.Int64() != id {
			t.Fatalf("event %d = %+v, want grantee account %d paid %s fulfilled %v", i, ev, w.who, w.paid, w.fulfilled)
		}
	}
	for _, who := range []int{fresh, buyer, oldHolder, revoked, current} {
		if a := e.access(id, e.acct[who]); a.State != stGranted || a.Version != 2 || a.Escrow.Sign() != 0 {
			t.Fatalf("accessOf(account %d) = %+v", who, a)
		}
	}
	wantBig(t, "owner withdrawable", e.withdrawable(e.acct[owner]), price)
	wantBig(t, "contract balance", e.balance(e.addr), price)

	// A batch of accounts that all hold the current version changes nothing and succeeds.
	r = e.must(owner, ds.PackGrantMany(bid, accts(fresh, current), envs(2)), nil)
	if evs := grantedEvents(r); len(evs) != 0 {
		t.Fatalf("batch of current holders emitted %+v", evs)
	}
}

func TestRevoke(t *testing.T) {
	e := newEnv(t, 5)
	owner, buyer, friend, stranger, pending := 0, 1, 2, 3, 4
	price := milli(7)
	id := e.publish(owner, price)
	bid := big.NewInt(id)
	e.must(buyer, ds.PackRequestAccess(bid), price)
	e.must(owner, ds.PackGrantAccess(bid, e.acct[buyer], testEnvelope), nil)
	e.must(pending, ds.PackRequestAccess(bid), price)

	// Revoking a grant keeps the version the account already holds; nothing is refunded.
	r := e.must(owner, ds.PackRevoke(bid, e.acct[buyer]), nil)
	ev := mustEvent(t, r, ds.UnpackAccessRevokedEvent)
	if ev.Grantee != e.acct[buyer] || ev.Owner != e.acct[owner] || ev.Refunded.Sign() != 0 {
		t.Fatalf("event = %+v", ev)
	}
	if a := e.access(id, e.acct[buyer]); a.State != stRevoked || a.Version != 1 {
		t.Fatalf("accessOf(buyer) = %+v", a)
	}
	wantBig(t, "owner keeps the sale", e.withdrawable(e.acct[owner]), price)

	// Revoking an account with a pending request credits the escrow back to it.
	r = e.must(owner, ds.PackRevoke(bid, e.acct[pending]), nil)
	if ev := mustEvent(t, r, ds.UnpackAccessRevokedEvent); ev.Refunded.Cmp(price) != 0 {
		t.Fatalf("event = %+v", ev)
	}
	wantBig(t, "requester withdrawable", e.withdrawable(e.acct[pending]), price)
	if a := e.access(id, e.acct[pending]); a.State != stRevoked || a.Escrow.Sign() != 0 {
		t.Fatalf("accessOf(pending) = %+v", a)
	}

	// A holder of version 1 with a pending request for version 2: revoked, refunded, and it keeps
	// the record of the version it holds.
	e.must(owner, ds.PackGrantAccess(bid, e.acct[stranger], testEnvelope), nil)
	e.must(owner, ds.PackUpdate(bid, testCID, testEnvelope), nil)
	e.must(stranger, ds.PackRequestAccess(bid), price)
	r = e.must(owner, ds.PackRevoke(bid, e.acct[stranger]), nil)
	if ev := mustEvent(t, r, ds.UnpackAccessRevokedEvent); ev.Refunded.Cmp(price) != 0 {
		t.Fatalf("event = %+v", ev)
	}
	if a := e.access(id, e.acct[stranger]); a.State != stRevoked || a.Version != 1 || a.Escrow.Sign() != 0 {
		t.Fatalf("accessOf(older holder) = %+v", a)
	}
	_, err := e.tx(stranger, ds.PackRequestAccess(bid), price)
	wantRevert(t, err, &contracts.DataShareRevokedByOwner{Id: bid, Account: e.acct[stranger]})
	wantBig(t, "older holder withdrawable", e.withdrawable(e.acct[stranger]), price)
	e.must(stranger, ds.PackWithdraw(), nil)

	for _, c := range []struct {
		name    string
		from    int
		id      *big.Int
		grantee common.Address
		want    any
	}{
		{"never requested", owner, bid, e.acct[friend], &contracts.DataShareNothingToRevoke{Id: bid, Account: e.acct[friend]}},
		{"already revoked", owner, bid, e.acct[buyer], &contracts.DataShareNothingToRevoke{Id: bid, Account: e.acct[buyer]}},
		{"stranger", stranger, bid, e.acct[buyer], &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[stranger]}},
		{"unknown dataset", owner, big.NewInt(42), e.acct[buyer], &contracts.DataShareDatasetNotFound{Id: big.NewInt(42)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.tx(c.from, ds.PackRevoke(c.id, c.grantee), nil)
			wantRevert(t, err, c.want)
		})
	}
}

func TestRefund(t *testing.T) {
	e := newEnv(t, 3)
	price := milli(4)
	id := e.publish(0, price)
	bid := big.NewInt(id)

	_, err := e.tx(1, ds.PackRefund(bid), nil)
	wantRevert(t, err, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[1]})

	e.must(1, ds.PackRequestAccess(bid), price)
	requestedAt := e.access(id, e.acct[1]).RequestedAt
	availableAt := new(big.Int).SetUint64(requestedAt + refundTimeout)
	_, err = e.tx(1, ds.PackRefund(bid), nil)
	wantRevert(t, err, &contracts.DataShareRefundNotYetAvailable{Id: bid, AvailableAt: availableAt})

	if err := e.adjustTime(refundTimeout * time.Second); err != nil {
		t.Fatal(err)
	}
	e.sim.Commit()
	before := e.balance(e.acct[1])
	r := e.must(1, ds.PackRefund(bid), nil)
	ev := mustEvent(t, r, ds.UnpackRefundedEvent)
	if ev.Requester != e.acct[1] || ev.Owner != e.acct[0] || ev.Amount.Cmp(price) != 0 {
		t.Fatalf("event = %+v", ev)
	}
	wantBig(t, "requester balance", e.balance(e.acct[1]), sub(add(before, price), fee(r)))
	if a := e.access(id, e.acct[1]); a.State != stNone || a.Escrow.Sign() != 0 {
		t.Fatalf("accessOf after refund = %+v", a)
	}
	wantBig(t, "contract balance", e.balance(e.addr), new(big.Int))
	_, err = e.tx(1, ds.PackRefund(bid), nil)
	wantRevert(t, err, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[1]})

	// After a refund the account may request again.
	e.must(1, ds.PackRequestAccess(bid), price)
	// An answered request cannot be refunded.
	e.must(0, ds.PackFulfil(bid, e.acct[1], testEnvelope), nil)
	_, err = e.tx(1, ds.PackRefund(bid), nil)
	wantRevert(t, err, &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[1]})

	// A holder of an older version who takes its payment back keeps that version.
	e.must(0, ds.PackUpdate(bid, testCID, testEnvelope), nil)
	e.must(1, ds.PackRequestAccess(bid), price)
	if err := e.adjustTime(refundTimeout * time.Second); err != nil {
		t.Fatal(err)
	}
	e.sim.Commit()
	e.must(1, ds.PackRefund(bid), nil)
	if a := e.access(id, e.acct[1]); a.State != stGranted || a.Version != 1 || a.Escrow.Sign() != 0 || a.RequestedAt != 0 {
		t.Fatalf("accessOf after an older holder's refund = %+v", a)
	}

	// A free request can be withdrawn after the timeout, moving no money.
	free := big.NewInt(e.publish(0, nil))
	e.must(2, ds.PackRequestAccess(free), nil)
	if err := e.adjustTime(refundTimeout * time.Second); err != nil {
		t.Fatal(err)
	}
	e.sim.Commit()
	r = e.must(2, ds.PackRefund(free), nil)
	if ev := mustEvent(t, r, ds.UnpackRefundedEvent); ev.Amount.Sign() != 0 {
		t.Fatalf("free refund event = %+v", ev)
	}
}

func TestWithdraw(t *testing.T) {
	e := newEnv(t, 2)
	_, err := e.tx(0, ds.PackWithdraw(), nil)
	wantRevert(t, err, &contracts.DataShareNothingToWithdraw{})
	price := milli(30)
	id := big.NewInt(e.publish(0, price))
	e.must(1, ds.PackRequestAccess(id), price)
	e.must(0, ds.PackGrantAccess(id, e.acct[1], testEnvelope), nil)
	before := e.balance(e.acct[0])
	r := e.must(0, ds.PackWithdraw(), nil)
	if ev := mustEvent(t, r, ds.UnpackWithdrawnEvent); ev.Account != e.acct[0] || ev.Amount.Cmp(price) != 0 {
		t.Fatalf("event = %+v", ev)
	}
	wantBig(t, "owner balance", e.balance(e.acct[0]), sub(add(before, price), fee(r)))
	wantBig(t, "withdrawable", e.withdrawable(e.acct[0]), new(big.Int))
	_, err = e.tx(0, ds.PackWithdraw(), nil)
	wantRevert(t, err, &contracts.DataShareNothingToWithdraw{})
}

// TestEscrowAccounting follows the money through the ways an escrow ends, checking every
// balance net of gas.
func TestEscrowAccounting(t *testing.T) {
	price := eth(2)
	t.Run("request, fulfil, withdraw", func(t *testing.T) {
		e := newEnv(t, 2)
		id := big.NewInt(e.publish(0, price))
		o0, b0 := e.balance(e.acct[0]), e.balance(e.acct[1])
		r1 := e.must(1, ds.PackRequestAccess(id), price)
		wantBig(t, "buyer after request", e.balance(e.acct[1]), sub(sub(b0, price), fee(r1)))
		wantBig(t, "escrow in contract", e.balance(e.addr), price)
		r2 := e.must(0, ds.PackFulfil(id, e.acct[1], testEnvelope), nil)
		wantBig(t, "contract after grant", e.balance(e.addr), price)
		r3 := e.must(0, ds.PackWithdraw(), nil)
		wantBig(t, "owner after withdraw", e.balance(e.acct[0]), sub(add(o0, price), add(fee(r2), fee(r3))))
		wantBig(t, "contract after withdraw", e.balance(e.addr), new(big.Int))
	})
	t.Run("request, timeout, refund", func(t *testing.T) {
		e := newEnv(t, 2)
		id := big.NewInt(e.publish(0, price))
		o0, b0 := e.balance(e.acct[0]), e.balance(e.acct[1])
		r1 := e.must(1, ds.PackRequestAccess(id), price)
		if err := e.adjustTime((refundTimeout + 1) * time.Second); err != nil {
			t.Fatal(err)
		}
		e.sim.Commit()
		r2 := e.must(1, ds.PackRefund(id), nil)
		wantBig(t, "buyer after refund", e.balance(e.acct[1]), sub(b0, add(fee(r1), fee(r2))))
		wantBig(t, "owner untouched", e.balance(e.acct[0]), o0)
		wantBig(t, "contract after refund", e.balance(e.addr), new(big.Int))
	})
	t.Run("request, decline, withdraw by the requester", func(t *testing.T) {
		e := newEnv(t, 2)
		id := big.NewInt(e.publish(0, price))
		o0, b0 := e.balance(e.acct[0]), e.balance(e.acct[1])
		r1 := e.must(1, ds.PackRequestAccess(id), price)
		r2 := e.must(0, ds.PackDecline(id, e.acct[1]), nil)
		wantBig(t, "owner withdrawable", e.withdrawable(e.acct[0]), new(big.Int))
		wantBig(t, "requester withdrawable", e.withdrawable(e.acct[1]), price)
		wantBig(t, "contract holds the credit", e.balance(e.addr), price)
		r3 := e.must(1, ds.PackWithdraw(), nil)
		wantBig(t, "buyer after withdraw", e.balance(e.acct[1]), sub(b0, add(fee(r1), fee(r3))))
		wantBig(t, "owner paid only gas", e.balance(e.acct[0]), sub(o0, fee(r2)))
		wantBig(t, "contract after withdraw", e.balance(e.addr), new(big.Int))
	})
	t.Run("request, revoke, withdraw by the requester", func(t *testing.T) {
		e := newEnv(t, 2)
		id := big.NewInt(e.publish(0, price))
		o0, b0 := e.balance(e.acct[0]), e.balance(e.acct[1])
		r1 := e.must(1, ds.PackRequestAccess(id), price)
		r2 := e.must(0, ds.PackRevoke(id, e.acct[1]), nil)
		wantBig(t, "owner withdrawable", e.withdrawable(e.acct[0]), new(big.Int))
		wantBig(t, "requester withdrawable", e.withdrawable(e.acct[1]), price)
		r3 := e.must(1, ds.PackWithdraw(), nil)
		wantBig(t, "buyer after withdraw", e.balance(e.acct[1]), sub(b0, add(fee(r1), fee(r3))))
		wantBig(t, "owner paid only gas", e.balance(e.acct[0]), sub(o0, fee(r2)))
		wantBig(t, "contract after withdraw", e.balance(e.addr), new(big.Int))
	})
}

// TestOperator adds a device as operator, uses it to grant and revoke, removes it and sees it
// refused.
func TestOperator(t *testing.T) {
	e := newEnv(t, 4)
	owner, device, buyer, other := 0, 1, 2, 3
	price := milli(50)
	id := big.NewInt(e.publish(owner, price))
	e.must(buyer, ds.PackRequestAccess(id), price)
	_, err := e.tx(device, ds.PackGrantAccess(id, e.acct[buyer], testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNotOwnerOrOperator{Id: id, Caller: e.acct[device]})

	e.must(owner, ds.PackSetOperator(e.acct[device], true), nil)
	r := e.must(device, ds.PackGrantAccess(id, e.acct[buyer], testEnvelope), nil)
	if ev := mustEvent(t, r, ds.UnpackAccessGrantedEvent); ev.Owner != e.acct[owner] || ev.Paid.Cmp(price) != 0 {
		t.Fatalf("grant by operator event = %+v", ev)
	}
	// The sale is credited to the owner, not to the operator.
	wantBig(t, "owner withdrawable", e.withdrawable(e.acct[owner]), price)
	wantBig(t, "operator withdrawable", e.withdrawable(e.acct[device]), new(big.Int))
	e.must(other, ds.PackRequestAccess(id), price)
	e.must(device, ds.PackRevoke(id, e.acct[other]), nil)
	wantBig(t, "declined requester withdrawable", e.withdrawable(e.acct[other]), price)
	// An operator acts for its account only: it cannot update, reprice, or act on others' datasets.
	_, err = e.tx(device, ds.PackUpdate(id, testCID, testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNotOwner{Id: id, Caller: e.acct[device]})
	_, err = e.tx(device, ds.PackSetPrice(id, new(big.Int)), nil)
	wantRevert(t, err, &contracts.DataShareNotOwner{Id: id, Caller: e.acct[device]})
	othersID := big.NewInt(e.publish(other, nil))
	_, err = e.tx(device, ds.PackGrantAccess(othersID, e.acct[buyer], testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNotOwnerOrOperator{Id: othersID, Caller: e.acct[device]})

	e.must(owner, ds.PackSetOperator(e.acct[device], false), nil)
	e.must(owner, ds.PackUpdate(id, testCID, testEnvelope), nil)
	_, err = e.tx(device, ds.PackGrantAccess(id, e.acct[buyer], testEnvelope), nil)
	wantRevert(t, err, &contracts.DataShareNotOwnerOrOperator{Id: id, Caller: e.acct[device]})
	_, err = e.tx(device, ds.PackRevoke(id, e.acct[buyer]), nil)
	wantRevert(t, err, &contracts.DataShareNotOwnerOrOperator{Id: id, Caller: e.acct[device]})
}

func TestNoPlainEtherTransfers(t *testing.T) {
	e := newEnv(t, 1)
	if _, err := e.tx(0, nil, eth(1)); err == nil {
		t.Fatal("a plain ether transfer to the contract succeeded; it would be stuck outside any escrow")
	}
	wantBig(t, "contract balance", e.balance(e.addr), new(big.Int))
}
