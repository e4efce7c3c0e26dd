// Package keys owns the RSA key pairs that local actors sign with: making
// them, encoding them as PEM for storage and decoding them again.
package keys

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// Bits is the RSA key size. Mastodon and GoToSocial both use 2048-bit keys,
// and signing cost grows steeply with size, so there is no reason to go higher.
const Bits = 2048

// Pair is a freshly generated key pair in the PEM forms we store and serve.
type Pair struct {
	PrivatePEM string // PKCS#8, never leaves the database
	PublicPEM  string // SubjectPublicKeyInfo, served in the actor document
}

// Generate makes a new RSA key pair.
func Generate() (Pair, error) {
	priv, err := rsa.GenerateKey(rand.Reader, Bits)
	if err != nil {
		return Pair{}, fmt.Errorf("generate rsa key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return Pair{}, fmt.Errorf("encode private key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return Pair{}, fmt.Errorf("encode public key: %w", err)
	}
	return Pair{
		PrivatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
		PublicPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})),
	}, nil
}

// ParsePrivate decodes a PEM private key (PKCS#8, or PKCS#1 for keys made
// by other tools) into an RSA key.
func ParsePrivate(s string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("parse private key: no PEM block")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("parse private key: %T is not an RSA key", k)
		}
		return rk, nil
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	return k, nil
}

// ParsePublic decodes a PEM public key as remote servers publish it:
// SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY").
// Only RSA keys are accepted, because only RSA-SHA256 signatures are verified.
func ParsePublic(s string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("parse public key: no PEM block")
	}
	if k, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("parse public key: %T is not an RSA key", k)
		}
		return rk, nil
	}
	k, err := x509.ParsePKCS1PublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	return k, nil
}
