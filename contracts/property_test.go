package contracts_test

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/contracts"
)

var (
	propSeed = flag.Uint64("property.seed", 1, "seed of TestPropertyEscrowInvariant's random operations")
	propOps  = flag.Int("property.ops", 400, "number of random operations in TestPropertyEscrowInvariant")
)

// modelGrant is the model's view of accessOf.
type modelGrant struct {
	state       uint8
	version     uint64
	escrow      *big.Int
	requestedAt uint64
}

type grantKey struct {
	id   int64
	acct int
}

// model predicts the contract's state and every account's ether from the operations applied.
type model struct {
	owner        map[int64]int
	price        map[int64]*big.Int
	version      map[int64]uint64
	access       map[grantKey]modelGrant
	operator     map[[2]int]bool // {account, device}
	hasKey       []bool          // registered an encryption key
	withdrawable []*big.Int
	eth          []*big.Int // each account's expected ether balance
	count        int64
}

func newModel(n int, start *big.Int) *model {
	m := &model{
		owner: map[int64]int{}, price: map[int64]*big.Int{}, version: map[int64]uint64{},
		access: map[grantKey]modelGrant{}, operator: map[[2]int]bool{},
	}
	for range n {
		m.withdrawable = append(m.withdrawable, new(big.Int))
		m.eth = append(m.eth, new(big.Int).Set(start))
		m.hasKey = append(m.hasKey, false)
	}
	return m
}

func (m *model) grant(id int64, a int) modelGrant {
	if g, ok := m.access[grantKey{id, a}]; ok {
		return g
	}
	return modelGrant{escrow: new(big.Int)}
}

// authorized reports whether account `from` may answer, grant and revoke on dataset `id`.
func (m *model) authorized(id int64, from int) bool {
	return from == m.owner[id] || m.operator[[2]int{m.owner[id], from}]
}

// give records the grant of the current version to account a, releasing its escrow to the owner.
func (m *model) give(id int64, a int) {
	o := m.owner[id]
	m.withdrawable[o].Add(m.withdrawable[o], m.grant(id, a).escrow)
	m.access[grantKey{id, a}] = modelGrant{stGranted, m.version[id], new(big.Int), 0}
}

// endRequest ends a pending request of account a without a grant: back to the version it holds.
func (m *model) endRequest(id int64, a int) {
	if v := m.grant(id, a).version; v != 0 {
		m.access[grantKey{id, a}] = modelGrant{stGranted, v, new(big.Int), 0}
	} else {
		delete(m.access, grantKey{id, a})
	}
}

// pending lists the accounts with a pending request for dataset id.
func (m *model) pending(id int64, n int) []int {
	var out []int
	for a := range n {
		if m.grant(id, a).state == stRequested {
			out = append(out, a)
		}
	}
	return out
}

// TestPropertyEscrowInvariant applies random operations by several accounts (every function of
// the contract: requests, fulfil, grantAccess, grantMany, decline, revoke, refund, withdraw, …)
// and checks, after every one, that the contract's balance equals the sum of escrows plus the sum
// of withdrawable balances (read from the chain alone), that the chain agrees with an independent
// model of every access record and balance, and that every account holds exactly the ether the
// model says it is owed net of gas. Each operation's outcome, success or the exact custom error,
// is predicted by the model before it is sent.
func TestPropertyEscrowInvariant(t *testing.T) {
	for seed := *propSeed; seed < *propSeed+3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { runProperty(t, seed) })
	}
}

// pickOr returns a random element of candidates with probability 3/4 when there are any, so
// that most operations are ones that can succeed; otherwise it returns fallback.
func pickOr[T any](rng *rand.Rand, candidates []T, fallback T) T {
	if len(candidates) == 0 || rng.IntN(4) == 0 {
		return fallback
	}
	return candidates[rng.IntN(len(candidates))]
}

func runProperty(t *testing.T, seed uint64) {
	const n = 5
	e := newBareEnv(t, n)
	m := newModel(n, startBal)
	// All but the last account start with an encryption key; the last registers one at random.
	for a := range n - 1 {
		e.must(a, ds.PackRegisterKey(testKey(a)), nil)
		m.hasKey[a] = true
	}
	for a := range n { // what the deployment and the registrations cost
		m.eth[a] = e.balance(e.acct[a])
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	prices := []*big.Int{new(big.Int), milli(1), milli(250), eth(3)}
	ctx := context.Background()

	counts := map[string]int{}
	for step := range *propOps {
		from := rng.IntN(n)
		other := rng.IntN(n)
		id := rng.Int64N(m.count+1) + 1 // sometimes one past the last dataset
		bid := big.NewInt(id)
		_, exists := m.owner[id]
		notFound := &contracts.DataShareDatasetNotFound{Id: bid}

		var (
			name  string
			data  []byte
			value *big.Int
			want  any                    // expected custom error; nil for success
			apply func(r *types.Receipt) // model update on success
		)
		switch op := rng.IntN(100); {
		case op < 10:
			price := prices[rng.IntN(len(prices))]
			name, data = "publish", ds.PackPublish(testCID, price, testEnvelope)
			apply = func(*types.Receipt) {
				m.count++
				m.owner[m.count], m.price[m.count], m.version[m.count] = from, price, 1
			}
		case op < 35:
			name, data, value = "requestAccess", ds.PackRequestAccess(bid), new(big.Int)
			if exists {
				value = m.price[id]
				if rng.IntN(8) == 0 {
					value = add(value, big.NewInt(1))
				}
			}
			g := m.grant(id, from)
			switch {
			case !exists:
				want = notFound
			case from == m.owner[id]:
				want = &contracts.DataShareOwnerCannotRequest{Id: bid}
			case !m.hasKey[from]:
				want = &contracts.DataShareNoEncryptionKey{Account: e.acct[from]}
			case value.Cmp(m.price[id]) != 0:
				want = &contracts.DataShareWrongPayment{Price: m.price[id], Sent: value}
			case g.state == stRequested:
				want = &contracts.DataShareAlreadyRequested{Id: bid, Account: e.acct[from]}
			case g.state == stRevoked:
				want = &contracts.DataShareRevokedByOwner{Id: bid, Account: e.acct[from]}
			case g.state == stGranted && g.version == m.version[id]:
				want = &contracts.DataShareAlreadyGranted{Id: bid, Account: e.acct[from]}
			}
			paid := value
			apply = func(r *types.Receipt) {
				head, err := e.client.HeaderByNumber(ctx, r.BlockNumber)
				if err != nil {
					t.Fatal(err)
				}
				m.access[grantKey{id, from}] = modelGrant{stRequested, g.version, paid, head.Time}
				m.eth[from].Sub(m.eth[from], paid)
			}
		case op < 40:
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
			}
			name, data = "grantAccess", ds.PackGrantAccess(bid, e.acct[other], testEnvelope)
			g := m.grant(id, other)
			switch {
			case !exists:
				want = notFound
			case !m.authorized(id, from):
				want = &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[from]}
			case other == m.owner[id]:
				want = &contracts.DataShareInvalidGrantee{Grantee: e.acct[other]}
			case g.state == stGranted && g.version == m.version[id]:
				want = &contracts.DataShareAlreadyGranted{Id: bid, Account: e.acct[other]}
			}
			apply = func(*types.Receipt) { m.give(id, other) }
		case op < 50:
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
				other = pickOr(rng, m.pending(id, n), other)
			}
			name, data = "fulfil", ds.PackFulfil(bid, e.acct[other], testEnvelope)
			switch {
			case !exists:
				want = notFound
			case !m.authorized(id, from):
				want = &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[from]}
			case m.grant(id, other).state != stRequested:
				want = &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[other]}
			}
			apply = func(*types.Receipt) { m.give(id, other) }
		case op < 56:
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
			}
			// One to four random accounts (repeats allowed, the owner sometimes among them);
			// now and then no account, or one envelope too many.
			grantees := make([]int, 1+rng.IntN(4))
			if rng.IntN(12) == 0 {
				grantees = nil
			}
			addrs := make([]common.Address, len(grantees))
			envelopes := make([][]byte, len(grantees))
			for i := range grantees {
				grantees[i] = rng.IntN(n)
				addrs[i], envelopes[i] = e.acct[grantees[i]], testEnvelope
			}
			if len(grantees) > 0 && rng.IntN(12) == 0 {
				envelopes = append(envelopes, testEnvelope)
			}
			name, data = "grantMany", ds.PackGrantMany(bid, addrs, envelopes)
			switch {
			case !exists:
				want = notFound
			case !m.authorized(id, from):
				want = &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[from]}
			case len(grantees) == 0:
				want = &contracts.DataShareNoGrantees{}
			case len(envelopes) != len(grantees):
				want = &contracts.DataShareLengthMismatch{Grantees: big.NewInt(int64(len(grantees))), Envelopes: big.NewInt(int64(len(envelopes)))}
			case slices.Contains(grantees, m.owner[id]):
				want = &contracts.DataShareInvalidGrantee{Grantee: e.acct[m.owner[id]]}
			}
			apply = func(*types.Receipt) {
				for _, a := range grantees {
					if g := m.grant(id, a); g.state != stGranted || g.version != m.version[id] {
						m.give(id, a)
					}
				}
			}
		case op < 62:
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
				other = pickOr(rng, m.pending(id, n), other)
			}
			name, data = "decline", ds.PackDecline(bid, e.acct[other])
			g := m.grant(id, other)
			switch {
			case !exists:
				want = notFound
			case !m.authorized(id, from):
				want = &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[from]}
			case g.state != stRequested:
				want = &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[other]}
			}
			apply = func(*types.Receipt) {
				m.withdrawable[other].Add(m.withdrawable[other], g.escrow)
				m.endRequest(id, other)
			}
		case op < 68:
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
				var holders []int
				for a := range n {
					if st := m.grant(id, a).state; st == stRequested || st == stGranted {
						holders = append(holders, a)
					}
				}
				other = pickOr(rng, holders, other)
			}
			name, data = "revoke", ds.PackRevoke(bid, e.acct[other])
			g := m.grant(id, other)
			switch {
			case !exists:
				want = notFound
			case !m.authorized(id, from):
				want = &contracts.DataShareNotOwnerOrOperator{Id: bid, Caller: e.acct[from]}
			case g.state != stRequested && g.state != stGranted:
				want = &contracts.DataShareNothingToRevoke{Id: bid, Account: e.acct[other]}
			}
			apply = func(*types.Receipt) {
				m.withdrawable[other].Add(m.withdrawable[other], g.escrow)
				m.access[grantKey{id, other}] = modelGrant{stRevoked, g.version, new(big.Int), 0}
			}
		case op < 76:
			var pending []grantKey
			for k, g := range m.access {
				if g.state == stRequested {
					pending = append(pending, k)
				}
			}
			slices.SortFunc(pending, func(a, b grantKey) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.acct, b.acct)) })
			k := pickOr(rng, pending, grantKey{id, from})
			id, from, bid = k.id, k.acct, big.NewInt(k.id)
			name, data = "refund", ds.PackRefund(bid)
			g := m.grant(id, from)
			if g.state != stRequested {
				want = &contracts.DataShareNoPendingRequest{Id: bid, Account: e.acct[from]}
			} else {
				head, err := e.client.HeaderByNumber(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				availableAt := g.requestedAt + refundTimeout
				switch {
				case head.Time+60 < availableAt:
					want = &contracts.DataShareRefundNotYetAvailable{Id: bid, AvailableAt: new(big.Int).SetUint64(availableAt)}
				case head.Time < availableAt:
					continue // too close to the boundary to predict the next block's time
				}
			}
			apply = func(*types.Receipt) {
				m.endRequest(id, from)
				m.eth[from].Add(m.eth[from], g.escrow)
			}
		case op < 84:
			var creditors []int
			for a := range n {
				if m.withdrawable[a].Sign() > 0 {
					creditors = append(creditors, a)
				}
			}
			from = pickOr(rng, creditors, from)
			name, data = "withdraw", ds.PackWithdraw()
			amount := new(big.Int).Set(m.withdrawable[from])
			if amount.Sign() == 0 {
				want = &contracts.DataShareNothingToWithdraw{}
			}
			apply = func(*types.Receipt) {
				m.withdrawable[from].SetInt64(0)
				m.eth[from].Add(m.eth[from], amount)
			}
		case op < 87:
			price := prices[rng.IntN(len(prices))]
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
			}
			name, data = "setPrice", ds.PackSetPrice(bid, price)
			switch {
			case !exists:
				want = notFound
			case from != m.owner[id]:
				want = &contracts.DataShareNotOwner{Id: bid, Caller: e.acct[from]}
			}
			apply = func(*types.Receipt) { m.price[id] = price }
		case op < 91:
			if exists {
				from = pickOr(rng, []int{m.owner[id]}, from)
			}
			name, data = "update", ds.PackUpdate(bid, testCID, testEnvelope)
			switch {
			case !exists:
				want = notFound
			case from != m.owner[id]:
				want = &contracts.DataShareNotOwner{Id: bid, Caller: e.acct[from]}
			}
			apply = func(*types.Receipt) { m.version[id]++ }
		case op < 95:
			allowed := rng.IntN(2) == 0
			name, data = "setOperator", ds.PackSetOperator(e.acct[other], allowed)
			if other == from {
				want = &contracts.DataShareInvalidOperator{Device: e.acct[other]}
			}
			apply = func(*types.Receipt) { m.operator[[2]int{from, other}] = allowed }
		case op < 97:
			name, data = "registerKey", ds.PackRegisterKey(testKey(from))
			apply = func(*types.Receipt) { m.hasKey[from] = true }
		default:
			d := time.Duration(rng.IntN(2*refundTimeout)) * time.Second
			if err := e.adjustTime(d); err != nil {
				t.Fatal(err)
			}
			e.sim.Commit()
			counts["wait"]++
			continue
		}

		what := fmt.Sprintf("step %d: %s by account %d (dataset %d, other %d)", step, name, from, id, other)
		r, err := e.tx(from, data, value)
		if want != nil {
			if err == nil {
				t.Fatalf("%s succeeded, model expected %T", what, want)
			}
			got, ok := contracts.DecodeRevert(err)
			if g, w := fmt.Sprintf("%T%+v", got, got), fmt.Sprintf("%T%+v", want, want); !ok || g != w {
				t.Fatalf("%s: reverted with %s (%v), model expected %s", what, g, err, w)
			}
			counts[name+" refused"]++
		} else {
			if err != nil {
				t.Fatalf("%s: %v (model expected success)", what, err)
			}
			m.eth[from].Sub(m.eth[from], fee(r))
			apply(r)
			counts[name]++
		}
		checkModel(t, e, m, what)
	}
	t.Logf("seed %d, operations applied: %v", seed, counts)
}

// checkModel compares the chain with the model and checks the balance invariant from chain views.
func checkModel(t *testing.T, e *env, m *model, what string) {
	t.Helper()
	sumEscrow, sumOwed := new(big.Int), new(big.Int)
	for id := int64(1); id <= m.count; id++ {
		for a := range e.acct {
			got := e.access(id, e.acct[a])
			want := m.grant(id, a)
			refundableAt := new(big.Int)
			if want.state == stRequested {
				refundableAt.SetUint64(want.requestedAt + refundTimeout)
			}
			if got.State != want.state || got.Version != want.version || got.Escrow.Cmp(want.escrow) != 0 ||
				got.RequestedAt != want.requestedAt || got.RefundableAt.Cmp(refundableAt) != 0 {
				t.Fatalf("after %s: accessOf(%d, account %d) = %+v, model %+v", what, id, a, got, want)
			}
			sumEscrow.Add(sumEscrow, got.Escrow)
		}
	}
	for a := range e.acct {
		w := e.withdrawable(e.acct[a])
		if w.Cmp(m.withdrawable[a]) != 0 {
			t.Fatalf("after %s: withdrawable(account %d) = %s, model %s", what, a, w, m.withdrawable[a])
		}
		sumOwed.Add(sumOwed, w)
		if b := e.balance(e.acct[a]); b.Cmp(m.eth[a]) != 0 {
			t.Fatalf("after %s: account %d holds %s wei, is owed %s", what, a, b, m.eth[a])
		}
	}
	if bal, want := e.balance(e.addr), add(sumEscrow, sumOwed); bal.Cmp(want) != 0 {
		t.Fatalf("after %s: contract balance %s != escrows %s + withdrawable %s", what, bal, sumEscrow, sumOwed)
	}
}
