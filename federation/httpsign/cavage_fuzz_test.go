package httpsign

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// cavageSeeds are Signature header values as real senders write them, and
// the attacks the parser must refuse.
var cavageSeeds = []string{
	// httpsig (GoToSocial, this server)
	`keyId="https://gts.example/users/alice/main-key",algorithm="hs2019",headers="(request-target) host date digest",signature="AAAA"`,
	// Mastodon: rsa-sha256 and a space after each comma
	`keyId="https://mastodon.example/users/carol#main-key", algorithm="rsa-sha256", headers="(request-target) host date digest content-type", signature="AAAA"`,
	// draft-cavage-12 with created and expires
	`keyId="k",algorithm="hs2019",created=1618884473,expires=1618884773,headers="(request-target) (created) (expires) host date digest",signature="AAAA"`,
	// the comma smuggling attack and its relatives
	`keyId="k",headers="(request-target) host date digest (created)",signature="AAAA",created="1,headers=date"`,
	`keyId="k",headers="(request-target) host date digest",signature="AAAA",expires=1"`,
	`keyId=k"x,headers="date",signature="AAAA"`,
	`keyId="a,headers=date",headers="(request-target) host date",signature="AAAA"`,
	`keyId="k",headers="(request-target) host date",signature="AAAA",extension="x,y"`,
	``,
}

// httpsigView splits a Signature value exactly as go-fed/httpsig v1.1.0
// does (getSignatureComponents): on every comma, then at the first '=',
// trimming every quote; a later parameter overrides an earlier one.
func httpsigView(s string) map[string]string {
	m := map[string]string{}
	for _, p := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			m["!malformed"] = p
			continue
		}
		m[k] = strings.Trim(v, `"`)
	}
	return m
}

// FuzzParseParams: whatever parses must hold no value that httpsig would
// split or trim, and must round-trip through a canonical re-serialisation.
func FuzzParseParams(f *testing.F) {
	for _, s := range cavageSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		params, err := parseParams(s)
		if err != nil {
			return
		}
		var parts []string
		for k, v := range params {
			if strings.ContainsRune(v, '"') {
				t.Fatalf("%s=%q holds a quote", k, v)
			}
			if httpsigParams[k] && strings.ContainsRune(v, ',') {
				t.Fatalf("%s=%q holds a comma httpsig would split on", k, v)
			}
			parts = append(parts, k+`="`+v+`"`)
		}
		again, err := parseParams(strings.Join(parts, ","))
		if err != nil {
			t.Fatalf("re-serialised %q does not parse: %v", parts, err)
		}
		if len(again) != len(params) {
			t.Fatalf("round trip changed %v to %v", params, again)
		}
		for k, v := range params {
			if again[k] != v {
				t.Fatalf("round trip changed %s from %q to %q", k, v, again[k])
			}
		}
	})
}

// FuzzParseRequest: when ParseRequest accepts a Signature header, the
// header it hands httpsig must mean to httpsig exactly what it meant to us:
// the same keyId, signed headers, signature, created and expires. That is
// what the comma smuggling attack broke.
func FuzzParseRequest(f *testing.F) {
	for _, s := range cavageSeeds {
		f.Add(s, "{}")
	}
	now := time.Unix(1618884500, 0)
	f.Fuzz(func(t *testing.T, sig, body string) {
		req := datedPOST(t, body, now)
		req.Header.Set("Content-Type", "application/activity+json")
		req.Header.Set("Signature", sig)
		p, err := ParseRequest(req, []byte(body), now)
		if err != nil {
			if s := Status(err); s != http.StatusBadRequest && s != http.StatusUnauthorized {
				t.Fatalf("status %d for %v", s, err)
			}
			return
		}
		ours, _ := parseParams(sig)
		theirs := httpsigView(p.header.Get("Signature"))
		if _, bad := theirs["!malformed"]; bad {
			t.Fatalf("httpsig cannot parse %q", p.header.Get("Signature"))
		}
		if theirs["keyId"] != p.KeyID() || theirs["signature"] != ours["signature"] {
			t.Fatalf("httpsig reads keyId %q signature %q, we read %q %q", theirs["keyId"], theirs["signature"], p.KeyID(), ours["signature"])
		}
		signed := strings.Fields(strings.ToLower(ours["headers"]))
		if got := strings.Split(theirs["headers"], " "); !slices.Equal(got, signed) {
			t.Fatalf("httpsig reads headers %q, we read %q", got, signed)
		}
		for _, h := range []string{"(request-target)", "host", "date", "digest"} {
			if !slices.Contains(signed, h) {
				t.Fatalf("accepted without %s signed", h)
			}
		}
		for _, k := range []string{"created", "expires"} {
			if slices.Contains(signed, "("+k+")") && theirs[k] != ours[k] {
				t.Fatalf("httpsig reads %s=%q, we read %q", k, theirs[k], ours[k])
			}
		}
		for k := range theirs {
			if !httpsigParams[k] {
				t.Fatalf("unexpected parameter %q handed to httpsig", k)
			}
		}
	})
}
