package seal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"

	"github.com/datashare/datashare/backend/seal/internal/bech32"
)

func newIdentity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestEnvelopeRoundTrip(t *testing.T) {
	for range 20 {
		k, account := newKey(t), newIdentity(t)
		env, err := SealKey(k, PublicKeyBytes(account))
		if err != nil {
			t.Fatal(err)
		}
		if len(env) != EnvelopeSize {
			t.Fatalf("envelope is %d bytes, want EnvelopeSize = %d", len(env), EnvelopeSize)
		}
		got, err := OpenKey(env, account)
		if err != nil {
			t.Fatal(err)
		}
		if got.Secret() != k.Secret() {
			t.Fatal("OpenKey returned a different dataset key")
		}
	}
}

func TestEnvelopeWrongIdentity(t *testing.T) {
	k, account, other := newKey(t), newIdentity(t), newIdentity(t)
	env, err := SealKey(k, PublicKeyBytes(account))
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenKey(env, other)
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("OpenKey with the wrong identity: got %v, want ErrWrongKey", err)
	}
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		t.Errorf("error does not unwrap to *age.NoIdentityMatchError: %v", err)
	}
	// The dataset key's own identity is not the account identity either.
	if _, err := OpenKey(env, k.id); !errors.Is(err, ErrWrongKey) {
		t.Errorf("OpenKey with the dataset key: got %v, want ErrWrongKey", err)
	}
}

// TestEnvelopeIsAgeIdentityFile checks that plain age decrypts an envelope to
// a valid age identity file, as "age -d -i account.key envelope | age -d -i -"
// would use it.
func TestEnvelopeIsAgeIdentityFile(t *testing.T) {
	k, account := newKey(t), newIdentity(t)
	env, err := SealKey(k, PublicKeyBytes(account))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(env, []byte("-----BEGIN")) || !bytes.HasPrefix(env, []byte("age-encryption.org/v1\n-> X25519 ")) {
		t.Fatalf("envelope is not a binary age file with an X25519 stanza: %q", env[:40])
	}
	if n := bytes.Count(env, []byte("\n-> ")); n != 1 {
		t.Fatalf("envelope has %d recipient stanzas, want 1", n)
	}
	r, err := age.Decrypt(bytes.NewReader(env), account)
	if err != nil {
		t.Fatal(err)
	}
	plaintext, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(plaintext))
	if err != nil {
		t.Fatalf("envelope plaintext is not an age identity file: %v", err)
	}
	if len(ids) != 1 {
		t.Fatalf("envelope plaintext has %d identities, want 1", len(ids))
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok {
		t.Fatalf("envelope plaintext holds a %T, want *age.X25519Identity", ids[0])
	}
	if id.Recipient().String() != k.Recipient().String() {
		t.Fatal("envelope plaintext holds a different identity")
	}

	// And that identity decrypts the payload with plain age.
	payload := encryptBytes(t, []byte("hello"), k)
	r, err = age.Decrypt(bytes.NewReader(payload), ids...)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || string(got) != "hello" {
		t.Fatalf("age decrypted %q, %v", got, err)
	}
}

func TestEnvelopeCorrupt(t *testing.T) {
	k, account := newKey(t), newIdentity(t)
	env, err := SealKey(k, PublicKeyBytes(account))
	if err != nil {
		t.Fatal(err)
	}
	stanzaStart, stanzaEnd := 22, 22+54+44
	for i := range env {
		c := bytes.Clone(env)
		c[i] ^= 0x01
		_, err := OpenKey(c, account)
		switch {
		case err == nil:
			t.Fatalf("flipping byte %d went undetected", i)
		case errors.Is(err, ErrCorrupt):
		case errors.Is(err, ErrWrongKey) && i >= stanzaStart && i < stanzaEnd:
		default:
			t.Fatalf("flipping byte %d: unexpected error %v", i, err)
		}
	}
	for name, c := range map[string][]byte{
		"empty":          nil,
		"truncated":      env[:len(env)-1],
		"header only":    env[:headerSize],
		"trailing byte":  append(bytes.Clone(env), '\n'),
		"too large":      append(bytes.Clone(env), make([]byte, MaxEnvelopeSize)...),
		"armored":        armored(t, env),
		"not age at all": bytes.Repeat([]byte{0xff}, EnvelopeSize),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := OpenKey(c, account)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
		})
	}
}

// armored returns the ASCII-armored form of env, which OpenKey must not
// accept: envelopes are binary.
func armored(t *testing.T, env []byte) []byte {
	var buf bytes.Buffer
	w := armor.NewWriter(&buf)
	if _, err := w.Write(env); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestEnvelopeNotAKey checks envelopes that decrypt correctly but don't
// contain a dataset key.
func TestEnvelopeNotAKey(t *testing.T) {
	account := newIdentity(t)
	k := newKey(t)
	for name, plaintext := range map[string]string{
		"empty":            "",
		"text":             "hunter2 is my password",
		"two newlines":     k.Secret() + "\n\n",
		"CRLF":             k.Secret() + "\r\n",
		"leading comment":  "# created by seal\n" + k.Secret() + "\n",
		"recipient":        k.Recipient().String() + "\n",
		"lowercase secret": strings.ToLower(k.Secret()) + "\n",
		"two keys":         k.Secret() + "\n" + newKey(t).Secret() + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := age.Encrypt(&buf, account.Recipient())
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, plaintext)
			w.Close()
			_, err = OpenKey(buf.Bytes(), account)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
			assertNoSecret(t, "error", err.Error(), k)
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error quotes the plaintext: %v", err)
			}
		})
	}
	// Without the trailing newline, the key is accepted.
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, account.Recipient())
	io.WriteString(w, k.Secret())
	w.Close()
	if got, err := OpenKey(buf.Bytes(), account); err != nil || got.Secret() != k.Secret() {
		t.Fatalf("OpenKey of a key without newline: %v", err)
	}
}

func TestPublicKeyBytesRoundTrip(t *testing.T) {
	for range 50 {
		id := newIdentity(t)
		pub := PublicKeyBytes(id)
		_, want, err := bech32.Decode(id.Recipient().String())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pub[:], want) {
			t.Fatalf("PublicKeyBytes = %x, want %x", pub, want)
		}
		r, err := RecipientFromBytes(pub)
		if err != nil {
			t.Fatal(err)
		}
		if r.String() != id.Recipient().String() {
			t.Fatalf("RecipientFromBytes(PublicKeyBytes(id)) = %s, want %s", r, id.Recipient())
		}
	}
}

func mustHex32(s string) [32]byte {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		panic("bad test vector " + s)
	}
	return [32]byte(b)
}

func TestRecipientFromBytesRejects(t *testing.T) {
	valid := PublicKeyBytes(newIdentity(t))
	topBit := valid
	topBit[31] |= 0x80
	for _, tc := range []struct {
		name, pub, msg string
	}{
		{"zero", strings.Repeat("00", 32), "all zeroes"},
		// Low-order points on Curve25519 and its twist.
		{"one", "01" + strings.Repeat("00", 31), "low-order"},
		{"order 8 (a)", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", "low-order"},
		{"order 8 (b)", "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", "low-order"},
		{"p - 1", "ec" + strings.Repeat("ff", 30) + "7f", "low-order"},
		// Non-canonical encodings.
		{"p", "ed" + strings.Repeat("ff", 30) + "7f", "not canonical"},
		{"p + 1", "ee" + strings.Repeat("ff", 30) + "7f", "not canonical"},
		{"2^255 - 1", strings.Repeat("ff", 31) + "7f", "not canonical"},
		{"order 8 (a) + p", "cdeb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880", "not canonical"},
		{"valid key with top bit", hex.EncodeToString(topBit[:]), "not canonical"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub := mustHex32(tc.pub)
			_, err := RecipientFromBytes(pub)
			if !errors.Is(err, ErrInvalidPublicKey) {
				t.Fatalf("RecipientFromBytes(%s): got %v, want ErrInvalidPublicKey", tc.pub, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
			_, err = SealKey(newKey(t), pub)
			if !errors.Is(err, ErrInvalidPublicKey) {
				t.Fatalf("SealKey(%s): got %v, want ErrInvalidPublicKey", tc.pub, err)
			}
		})
	}

	_, err := SealKey(newKey(t), [32]byte{})
	if want := "seal: invalid X25519 public key: all zeroes (no key registered?)"; err == nil || err.Error() != want {
		t.Errorf("SealKey to the zero key: got %v, want %q", err, want)
	}
}

// TestErrorsDontQuoteInput checks that passing plaintext where ciphertext is
// expected doesn't copy the plaintext into the error message.
func TestErrorsDontQuoteInput(t *testing.T) {
	k, account := newKey(t), newIdentity(t)
	_, err := OpenKey([]byte(k.Secret()+"\n"), account)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("OpenKey of a plaintext key: got %v, want ErrCorrupt", err)
	}
	assertNoSecret(t, "OpenKey error", err.Error(), k)

	secret := []byte(`{"password":"hunter2"}`)
	_, err = DecryptMetadata(secret, k)
	if !errors.Is(err, ErrCorrupt) || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "password") {
		t.Fatalf("DecryptMetadata of plaintext: got %v", err)
	}
	_, err = Decrypt(bytes.NewReader(secret), k)
	if !errors.Is(err, ErrCorrupt) || strings.Contains(err.Error(), "password") {
		t.Fatalf("Decrypt of plaintext: got %v", err)
	}
}
