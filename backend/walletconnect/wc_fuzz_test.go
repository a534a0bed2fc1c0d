package walletconnect

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// FuzzParsePairingURI feeds parsePairingURI wc: URIs (from a QR code or a paste). Properties:
// no panic; an accepted URI has a 32-byte key whose hash is its topic and a relay protocol, and
// prints (String) to a URI that parses to the same value.
func FuzzParsePairingURI(f *testing.F) {
	var k symKey
	for i := range k {
		k[i] = byte(i)
	}
	good := pairingURI{Topic: k.topic(), SymKey: k, RelayProtocol: "irn"}
	f.Add(good.String())
	f.Add(strings.Replace(good.String(), "wc:", "wc://", 1))
	f.Add(good.String() + "&expiryTimestamp=1700000000&methods=[wc_sessionPropose]")
	f.Add("wc:abc@1?symKey=00")
	f.Add("wc:" + k.topic() + "@2?relay-protocol=irn&symKey=zz")
	f.Add("https://example.org")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parsePairingURI(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "pairing URI: ") {
				t.Fatalf("error %q does not say what was wrong", err)
			}
			return
		}
		if u.SymKey.topic() != u.Topic || u.RelayProtocol == "" {
			t.Fatalf("accepted %q: %+v", s, u)
		}
		back, err := parsePairingURI(u.String())
		if err != nil {
			t.Fatalf("parse(String()) of %q: %v", s, err)
		}
		if back.Topic != u.Topic || back.SymKey != u.SymKey || back.RelayProtocol != u.RelayProtocol || !back.Expiry.Equal(u.Expiry) {
			t.Fatalf("round trip of %q: %+v, then %+v", s, u, back)
		}
	})
}

// FuzzDecodeEnvelope feeds decodeEnvelope the messages a relay delivers (anyone who knows a
// topic can publish on it). Properties: no panic; errors wrap errBadEnvelope; an accepted
// envelope of type 0 or 1 does not open with a wrong key; an envelope sealed by sealWith
// decodes to its parts and opens to its plaintext.
func FuzzDecodeEnvelope(f *testing.F) {
	var key, wrong symKey
	for i := range key {
		key[i], wrong[i] = byte(i), byte(255-i)
	}
	iv := bytes.Repeat([]byte{7}, ivSize)
	s0, _ := sealWith(key, iv, nil, []byte(`{"id":1,"jsonrpc":"2.0","method":"wc_sessionPing","params":{}}`))
	s1, _ := sealWith(key, iv, bytes.Repeat([]byte{9}, 32), []byte("hello"))
	f.Add(s0, []byte("x"))
	f.Add(s1, []byte{})
	f.Add("Ag==", []byte("plain"))
	f.Add("AA", []byte(nil))
	f.Add("!!!", []byte(nil))
	f.Fuzz(func(t *testing.T, encoded string, plaintext []byte) {
		e, err := decodeEnvelope(encoded)
		if err != nil {
			if !errors.Is(err, errBadEnvelope) {
				t.Fatalf("error %v does not wrap errBadEnvelope", err)
			}
		} else if e.typ != envelopeType2 {
			if len(e.iv) != ivSize {
				t.Fatalf("iv of %d bytes", len(e.iv))
			}
			if _, err := e.open(wrong); err == nil {
				t.Fatal("an envelope opened with the wrong key")
			}
		}
		// Round trip, as both types.
		for _, sender := range [][]byte{nil, bytes.Repeat([]byte{3}, 32)} {
			s, err := sealWith(key, iv, sender, plaintext)
			if err != nil {
				t.Fatal(err)
			}
			e, err := decodeEnvelope(s)
			if err != nil || !bytes.Equal(e.senderPublic, sender) || !bytes.Equal(e.iv, iv) {
				t.Fatalf("decode of a sealed envelope: %+v, %v", e, err)
			}
			pt, err := e.open(key)
			if err != nil || !bytes.Equal(pt, plaintext) {
				t.Fatalf("open of a sealed envelope: %q, %v", pt, err)
			}
		}
	})
}

// FuzzRPCMessage feeds the decoding of relay frames and peer messages (rpcMessage, the ids
// matched against pending requests, chain ids the wallet sends). Properties: no panic; a decoded
// message encodes and decodes again to the same message and the same id key; a chain id read
// from a number or string is the one written back in each accepted form.
func FuzzRPCMessage(f *testing.F) {
	f.Add([]byte(`{"id":1700000000000000001,"jsonrpc":"2.0","method":"irn_subscription","params":{"id":"abc","data":{"topic":"t","message":"m","publishedAt":1,"tag":1108}}}`))
	f.Add([]byte(`{"id":"17","jsonrpc":"2.0","result":true}`))
	f.Add([]byte(`{"id":2,"jsonrpc":"2.0","error":{"code":-32601,"message":"method not found"}}`))
	f.Add([]byte(`"eip155:11155111"`))
	f.Add([]byte(`"0xaa36a7"`))
	f.Add([]byte(`[1,2`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m rpcMessage
		if json.Unmarshal(data, &m) == nil {
			// Without HTML escaping: it would write an id "&0" as "\u00260", the same JSON
			// string in other bytes, and idKey compares bytes.
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(m); err != nil {
				t.Fatalf("re-encode %+v: %v", m, err)
			}
			b := buf.Bytes()
			var m2 rpcMessage
			if err := json.Unmarshal(b, &m2); err != nil {
				t.Fatalf("decode re-encoded %s: %v", b, err)
			}
			if idKey(m.ID) != idKey(m2.ID) || m.Method != m2.Method || !bytes.Equal(compact(m.Params), compact(m2.Params)) {
				t.Fatalf("round trip changed the message: %s then %s", data, b)
			}
		}
		if n, ok := parseChainID(data); ok {
			for _, form := range []string{
				`"eip155:` + uitoa(n) + `"`, `"` + uitoa(n) + `"`, uitoa(n), `"0x` + strings.ToUpper(hex64(n)) + `"`,
			} {
				if got, ok := parseChainID(json.RawMessage(form)); !ok || got != n {
					t.Fatalf("chain id %d from %s, but %s gives %d, %v", n, data, form, got, ok)
				}
			}
		}
	})
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if json.Compact(&out, b) != nil {
		return b
	}
	return out.Bytes()
}

func uitoa(n uint64) string { return strconv.FormatUint(n, 10) }
func hex64(n uint64) string { return strconv.FormatUint(n, 16) }
