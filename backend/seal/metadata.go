package seal

import (
	"bytes"
	"fmt"
	"io"
)

// MaxMetadataSize is the maximum size in bytes of the plaintext accepted by
// [EncryptMetadata] and returned by [DecryptMetadata].
const MaxMetadataSize = 64 << 10

// maxMetadataCiphertext bounds the ciphertext accepted by DecryptMetadata:
// MaxMetadataSize fits in a single STREAM chunk (16 bytes of overhead), and
// 1 KiB is ample for an age header with one X25519 recipient and the nonce.
const maxMetadataCiphertext = MaxMetadataSize + 16 + 1024

// EncryptMetadata encrypts a small plaintext, such as a dataset's private
// metadata, to the dataset key k. The result is a binary age file.
//
// metadata must be at most [MaxMetadataSize] bytes.
func EncryptMetadata(metadata []byte, k *DatasetKey) ([]byte, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	if len(metadata) > MaxMetadataSize {
		return nil, fmt.Errorf("seal: metadata is %d bytes, more than the maximum of %d", len(metadata), MaxMetadataSize)
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(metadata)+256))
	w, err := Encrypt(buf, k)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(metadata); err != nil {
		return nil, fmt.Errorf("seal: failed to encrypt metadata: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("seal: failed to encrypt metadata: %w", err)
	}
	return buf.Bytes(), nil
}

// DecryptMetadata decrypts metadata encrypted by [EncryptMetadata] with the
// dataset key k. It returns the plaintext only once it has been entirely
// authenticated.
//
// If ciphertext was not encrypted to k, the error wraps [ErrWrongKey]. If it
// is malformed, fails authentication or holds more than [MaxMetadataSize]
// bytes, the error wraps [ErrCorrupt].
func DecryptMetadata(ciphertext []byte, k *DatasetKey) ([]byte, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	if len(ciphertext) > maxMetadataCiphertext {
		return nil, fmt.Errorf("seal: failed to decrypt metadata: %w: %d bytes is too large",
			ErrCorrupt, len(ciphertext))
	}
	r, err := decrypt(bytes.NewReader(ciphertext), k.id, "metadata")
	if err != nil {
		return nil, err
	}
	plaintext, err := io.ReadAll(io.LimitReader(r, MaxMetadataSize+1))
	if err != nil {
		return nil, err
	}
	if len(plaintext) > MaxMetadataSize {
		return nil, fmt.Errorf("seal: failed to decrypt metadata: %w: plaintext is more than %d bytes",
			ErrCorrupt, MaxMetadataSize)
	}
	return plaintext, nil
}
