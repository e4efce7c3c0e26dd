package accounts

import (
	"errors"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
)

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %s", h)
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if ok, err := VerifyPassword("correct horse battery", h); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, err := VerifyPassword("correct horse battere", h); ok || err != nil {
		t.Errorf("wrong password: %v %v", ok, err)
	}
}

func TestShortPasswordRefused(t *testing.T) {
	if _, err := HashPassword("elevenchars"); model.ErrorCode(err) != model.EInvalid {
		t.Errorf("11 characters: %v", err)
	}
	if err := CheckPassword("ççççççççççç"); err == nil {
		t.Error("11 two-byte characters passed as 22")
	}
	if err := CheckPassword("twelve chars"); err != nil {
		t.Errorf("12 characters: %v", err)
	}
}

func TestVerifyRefusesMalformedHashes(t *testing.T) {
	good, _ := HashPassword("correct horse battery")
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"params":       strings.Replace(good, "m=19456,t=2,p=1", "m=x,t=2,p=1", 1),
		"huge memory":  strings.Replace(good, "m=19456", "m=99999999", 1),
		"zero time":    strings.Replace(good, "t=2", "t=0", 1),
		"salt":         strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"extra fields": good + "$x",
	} {
		if ok, err := VerifyPassword("correct horse battery", h); ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("%s: %v %v", name, ok, err)
		}
	}
}
