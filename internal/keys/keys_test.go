package keys

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

func TestGenerateRoundTrip(t *testing.T) {
	p, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.PublicPEM, "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("public key is not SPKI PEM: %q", p.PublicPEM[:30])
	}
	priv, err := ParsePrivate(p.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	if priv.N.BitLen() != Bits {
		t.Errorf("key size %d, want %d", priv.N.BitLen(), Bits)
	}
	pub, err := ParsePublic(p.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(&priv.PublicKey) {
		t.Error("public key does not match private key")
	}
}

func TestParsePublicAcceptsPKCS1(t *testing.T) {
	p, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := ParsePrivate(p.PrivatePEM)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&priv.PublicKey)})
	pub, err := ParsePublic(string(pkcs1))
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(&priv.PublicKey) {
		t.Error("PKCS#1 key parsed to a different key")
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	for _, in := range []string{"", "not pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := ParsePublic(in); err == nil {
			t.Errorf("ParsePublic(%q) succeeded", in)
		}
		if _, err := ParsePrivate(in); err == nil {
			t.Errorf("ParsePrivate(%q) succeeded", in)
		}
	}
}
