package walletconnect

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// pairingURI is what the QR code holds:
// wc:<topic>@2?expiryTimestamp=<unix>&relay-protocol=irn&symKey=<hex>.
type pairingURI struct {
	Topic         string
	SymKey        symKey
	RelayProtocol string
	Expiry        time.Time
}

// String formats the URI as the SDK does (parameters sorted by name, no methods parameter).
func (u pairingURI) String() string {
	q := url.Values{}
	q.Set("relay-protocol", u.RelayProtocol)
	q.Set("symKey", hex.EncodeToString(u.SymKey[:]))
	if !u.Expiry.IsZero() {
		q.Set("expiryTimestamp", strconv.FormatInt(u.Expiry.Unix(), 10))
	}
	return "wc:" + u.Topic + "@2?" + q.Encode()
}

// parsePairingURI parses and checks a pairing URI: version 2, a 32-byte key whose hash is the
// topic, a relay protocol.
func parsePairingURI(s string) (pairingURI, error) {
	rest, ok := strings.CutPrefix(s, "wc:")
	if !ok {
		return pairingURI{}, errors.New("pairing URI: not a wc: URI")
	}
	rest = strings.TrimPrefix(rest, "//")
	path, query, _ := strings.Cut(rest, "?")
	topic, version, ok := strings.Cut(path, "@")
	if !ok || version != "2" {
		return pairingURI{}, fmt.Errorf("pairing URI: version %q is not 2", version)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return pairingURI{}, fmt.Errorf("pairing URI: %w", err)
	}
	kb, err := hex.DecodeString(q.Get("symKey"))
	if err != nil || len(kb) != 32 {
		return pairingURI{}, errors.New("pairing URI: symKey is not 32 bytes of hex")
	}
	u := pairingURI{Topic: topic, SymKey: symKey(kb), RelayProtocol: q.Get("relay-protocol")}
	if u.RelayProtocol == "" {
		return pairingURI{}, errors.New("pairing URI: no relay-protocol")
	}
	if u.SymKey.topic() != topic {
		return pairingURI{}, errors.New("pairing URI: topic is not the hash of symKey")
	}
	if e := q.Get("expiryTimestamp"); e != "" {
		n, err := strconv.ParseInt(e, 10, 64)
		if err != nil {
			return pairingURI{}, fmt.Errorf("pairing URI: expiryTimestamp %q", e)
		}
		u.Expiry = time.Unix(n, 0)
	}
	return u, nil
}
