package walletconnect

import (
	"testing"
	"time"

	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// slowStore is a MemoryStore whose writes of the session wait until released, as a keyring
// prompt or an scrypt-protected file would.
type slowStore struct {
	MemoryStore
	entered chan struct{} // a session write started
	release chan struct{} // let it finish
}

func (s *slowStore) SetSecret(name string, v []byte) error {
	if name == secretSession {
		s.entered <- struct{}{}
		<-s.release
	}
	return s.MemoryStore.SetSecret(name, v)
}

// TestSlowStoreDoesNotBlockSession: while the Store is saving the session, Session answers
// (it used to wait for the lock the save held, and with it everything that asks for the
// account).
func TestSlowStoreDoesNotBlockSession(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	st := &slowStore{entered: make(chan struct{}, 1), release: make(chan struct{})}
	c := newTestClient(t, r, st, nil)
	ctx := testCtx(t)
	p, err := c.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	startGoWallet(t, r.URL(), p.URI, nil)
	paired := make(chan error, 1)
	go func() {
		_, err := c.WaitSession(ctx, p)
		paired <- err
	}()
	select {
	case <-st.entered:
	case <-ctx.Done():
		t.Fatal("the session was never saved")
	}
	got := make(chan *Session, 1)
	go func() { got <- c.Session() }()
	select {
	case s := <-got:
		if s == nil {
			t.Error("Session = nil while the settled session is being saved")
		}
	case <-time.After(5 * time.Second):
		t.Error("Session waited for the Store")
	}
	close(st.release)
	if err := <-paired; err != nil {
		t.Fatal(err)
	}
	if b, ok, _ := st.Secret(secretSession); !ok || len(b) == 0 {
		t.Fatal("the session was not saved")
	}
}
