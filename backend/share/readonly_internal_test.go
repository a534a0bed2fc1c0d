package share

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/index"
)

// The account of a profile opened read-only is the one a full open recorded in the clear: the
// phone wallet's while its session lasts, else the device key's (no record, an expired
// session, a damaged record). It approves nothing.
func TestLockedApproverAccount(t *testing.T) {
	device := common.HexToAddress("0x00000000000000000000000000000000000000d1")
	wallet := common.HexToAddress("0x5B38Da6a701c568545dCfcB03FcB875f56beddC4")
	future := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	past := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	for record, want := range map[string]common.Address{
		"":                                device,
		device.Hex():                      device,
		wallet.Hex() + "," + future:       wallet,
		wallet.Hex() + "," + past:         device,
		"not an address," + future:        device,
		wallet.Hex() + ",not a time":      device,
		wallet.Hex() + "," + future + ",": device,
	} {
		t.Run(fmt.Sprintf("%q", record), func(t *testing.T) {
			db, err := index.Open(filepath.Join(t.TempDir(), "index.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if record != "" {
				if err := db.SetMeta(t.Context(), metaApprover, record); err != nil {
					t.Fatal(err)
				}
			}
			s := &Service{index: db, pub: publicKeys{device: device}}
			s.locked = &lockedApprover{s: s}
			if got := s.Account(); got != want {
				t.Fatalf("account = %s, want %s", got.Hex(), want.Hex())
			}
			out := s.approverNow().Approve(t.Context(), approval.Request{Action: "Publish"})
			if out.Status != approval.Failed || !errors.Is(out.Err, ErrReadOnly) {
				t.Fatalf("a locked profile approved: %+v", out)
			}
		})
	}
}
