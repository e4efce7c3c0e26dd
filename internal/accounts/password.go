package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/commonplace-social/commonplace/internal/model"
)

// MinPasswordLength is the shortest password accepted, in characters:
// length does more for strength than composition rules.
const MinPasswordLength = 12

// Argon2id parameters: OWASP's minimum recommendation (19 MiB, 2 passes,
// 1 lane), so a small instance can verify a login without a memory spike.
// They are stored in each hash, so raising them later keeps old hashes valid.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// ErrBadHash reports a stored hash that is not an argon2id PHC string.
var ErrBadHash = errors.New("password hash is not in argon2id PHC format")

var b64 = base64.RawStdEncoding

// CheckPassword says why a new password is unacceptable, or nil.
func CheckPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return model.Errorf(model.EInvalid, "the password must be at least %d characters long", MinPasswordLength)
	}
	if len(password) > 1024 {
		return model.Errorf(model.EInvalid, "the password is longer than 1024 bytes")
	}
	return nil
}

// HashPassword hashes a password with argon2id and a random salt, in the
// PHC string format $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func HashPassword(password string) (string, error) {
	if err := CheckPassword(password); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	var key []byte
	if err := gated(context.Background(), func() {
		key = argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	}); err != nil {
		return "", fmt.Errorf("hashing password: %w", err)
	}
	return encodeHash(salt, key), nil
}

// encodeHash writes a salt and key, with this build's parameters, in the PHC
// string format.
func encodeHash(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// unmatchableHash is a PHC string with this build's parameters whose salt
// and key are random: verifying against it costs exactly what checking a
// real hash does, yet (short of guessing 256 random bits) nothing matches
// it. Making one costs no argon2 work, so none is done at start-up.
func unmatchableHash() string {
	b := make([]byte, argonSaltLen+argonKeyLen)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return encodeHash(b[:argonSaltLen], b[argonSaltLen:])
}

// VerifyPassword reports whether password matches a PHC hash, comparing in
// constant time. A malformed hash is an error, not a mismatch.
func VerifyPassword(password, encoded string) (bool, error) {
	return verifyPassword(context.Background(), password, encoded)
}

// verifyPassword is VerifyPassword waiting for an argon2 slot no longer
// than ctx allows (ErrBusy).
func verifyPassword(ctx context.Context, password, encoded string) (bool, error) {
	p, err := parseHash(encoded)
	if err != nil {
		return false, err
	}
	var key []byte
	if err := gated(ctx, func() {
		key = argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	}); err != nil {
		return false, fmt.Errorf("checking password: %w", err)
	}
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseHash reads a PHC string, refusing parameters that would let a
// tampered row make verification hang or eat memory.
func parseHash(encoded string) (phc, error) {
	var p phc
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, fmt.Errorf("%w: unsupported version %q", ErrBadHash, parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, fmt.Errorf("%w: parameters %q", ErrBadHash, parts[3])
	}
	if p.memory < 8 || p.memory > 1<<20 || p.time < 1 || p.time > 16 || p.threads < 1 {
		return p, fmt.Errorf("%w: parameters out of range %q", ErrBadHash, parts[3])
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return p, fmt.Errorf("%w: salt", ErrBadHash)
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return p, fmt.Errorf("%w: key", ErrBadHash)
	}
	return p, nil
}
