package httpsign

import (
	"net/http"
	"testing"
	"time"
)

func BenchmarkSignPOST(b *testing.B) {
	a := newActor(b, gtsKeyID)
	body := []byte(`{"type":"Create","object":{"type":"Note","content":"hello"}}`)
	req := newRequest(b, http.MethodPost, "https://remote.example/users/bob/inbox", body)
	for b.Loop() {
		if err := a.signer.Sign(req, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPOST(b *testing.B) {
	a := newActor(b, gtsKeyID)
	body := []byte(`{"type":"Create","object":{"type":"Note","content":"hello"}}`)
	req := newRequest(b, http.MethodPost, "https://local.example/users/bob/inbox", body)
	if err := a.signer.Sign(req, body); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	for b.Loop() {
		p, err := ParseRequest(req, body, now)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Verify(a.pub); err != nil {
			b.Fatal(err)
		}
	}
}
