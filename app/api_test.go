package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/api"
	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// TestAppAndCommandShareOneProfile: while the app has its profile open, a client of the local
// API uses the same profile: what one publishes the other lists. The client's transaction is
// approved by the client, not by the window's dialog; the window's by the dialog. Shutdown
// takes the socket away.
func TestAppAndCommandShareOneProfile(t *testing.T) {
	dir := t.TempDir()
	h := startConfig(t, OpenShare, share.Config{DataDir: dir, LocalnetDir: t.TempDir(), NoKeyring: true, Loopback: true, IPFSMode: "embedded", RelayURL: "ws://127.0.0.1:9"})
	h.ev.wait(t, EventPassphraseRequest, nil)
	if err := h.app.SubmitPassphrase("correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	h.ev.waitWithin(t, 2*time.Minute, EventAppState, isState(StateReady))

	asked := 0
	c, err := api.Dial(t.Context(), api.SocketPath(dir), api.ClientOptions{Confirm: func(context.Context, approval.Summary) (bool, error) {
		asked++
		return true, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d, err := c.Publish(t.Context(), tempFile(t, "from-the-command.csv", "a,b\n1,2\n"), share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if asked != 1 || len(h.ev.all(EventApprovalRequest)) != 0 {
		t.Fatalf("the command's publish was asked %d times in the command and %d in the window", asked, len(h.ev.all(EventApprovalRequest)))
	}
	ds, err := h.app.ListDatasets()
	if err != nil || !listed(ds, d.Name) {
		t.Fatalf("the app lists %+v, %v; want %s", ds, err, d.Name)
	}

	id, err := h.app.Publish(tempFile(t, "from-the-window.csv", "c,d\n3,4\n"), "", "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	req := h.ev.waitWithin(t, time.Minute, EventApprovalRequest, nil).(ApprovalRequest)
	if err := h.app.AnswerApproval(req.ID, true); err != nil {
		t.Fatal(err)
	}
	h.ev.waitWithin(t, time.Minute, EventJobDone, func(d any) bool { return d.(JobDone).JobID == id })
	list, err := c.List(t.Context())
	if err != nil || !listed(list, "from-the-window.csv") || !listed(list, d.Name) {
		t.Fatalf("the command lists %+v, %v", list, err)
	}
	if asked != 1 {
		t.Fatalf("the window's publish was asked in the command too (%d)", asked)
	}

	h.app.Shutdown(context.Background())
	if _, err := api.Dial(t.Context(), api.SocketPath(dir), api.ClientOptions{}); !errors.Is(err, api.ErrNotRunning) {
		t.Fatalf("after Shutdown, Dial = %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "api.sock")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Shutdown left the socket: %v", err)
	}
}

func listed(ds []share.Dataset, name string) bool {
	for _, d := range ds {
		if d.Name == name && d.Status == "published" {
			return true
		}
	}
	return false
}
