package seal_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"strings"

	"filippo.io/age"

	"github.com/datashare/datashare/backend/seal"
)

func Example() {
	// The reader's account key. Its public half is registered on chain.
	account, err := age.GenerateX25519Identity()
	if err != nil {
		log.Fatal(err)
	}
	registered := seal.PublicKeyBytes(account) // [32]byte

	// The owner encrypts a new dataset version and seals its key.
	k, err := seal.NewDatasetKey()
	if err != nil {
		log.Fatal(err)
	}
	var payload bytes.Buffer // in practice, a file on its way to IPFS
	w, err := seal.Encrypt(&payload, k)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(w, strings.NewReader("id,value\n1,42\n")); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	envelope, err := seal.SealKey(k, registered)
	if err != nil {
		log.Fatal(err)
	}

	// The reader opens the envelope and streams the payload.
	k2, err := seal.OpenKey(envelope, account)
	if err != nil {
		log.Fatal(err)
	}
	r, err := seal.Decrypt(&payload, k2)
	if err != nil {
		log.Fatal(err)
	}
	plaintext, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}

	fmt.Printf("envelope: %d bytes\n", len(envelope))
	fmt.Printf("%s", plaintext)
	// Output:
	// envelope: 275 bytes
	// id,value
	// 1,42
}
