package vocab

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/out_*.json from the current output")

// The golden files show reviewers exactly what another server receives.
// Regenerate with: go test ./federation/vocab/ -run TestGolden -update
func TestGoldenDocuments(t *testing.T) {
	for name, p := range map[string]Post{"out_event.json": sampleEvent(t), "out_article.json": sampleArticle()} {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := json.Indent(&got, must(MarshalPost(p)), "", "  "); err != nil {
				t.Fatal(err)
			}
			got.WriteByte('\n')
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the output; if the change is intended, run with -update and review the diff.\ngot:\n%s", path, got.Bytes())
			}
		})
	}
}

// Mastodon shows an Article or Event as name, summary and a link, and only
// accepts it as public with these addresses and tags (INTEROP §3, §4).
func TestWhatMastodonSees(t *testing.T) {
	for _, p := range []Post{sampleEvent(t), sampleArticle()} {
		m := decodeMap(t, must(MarshalPost(p)))
		typ := m["type"]
		if s, _ := m["name"].(string); s == "" {
			t.Errorf("%s: no name", typ)
		}
		if s, _ := m["summary"].(string); s == "" || strings.ContainsAny(s, "<>") {
			t.Errorf("%s: summary %q is not plain text", typ, s)
		}
		if s, _ := m["url"].(string); !isHTTPURL(s) {
			t.Errorf("%s: url = %#v", typ, m["url"])
		}
		if to, _ := m["to"].([]any); !slices.Contains(to, any(PublicIRI)) {
			t.Errorf("%s: to = %#v", typ, m["to"])
		}
		if cc, _ := m["cc"].([]any); !slices.Contains(cc, any(cpFollowers)) {
			t.Errorf("%s: cc = %#v", typ, m["cc"])
		}
		tags, ok := m["tag"].([]any)
		if !ok || len(tags) == 0 {
			t.Fatalf("%s: tag = %#v", typ, m["tag"])
		}
		for _, tag := range tags {
			tm := tag.(map[string]any)
			name, _ := tm["name"].(string)
			if tm["type"] != "Hashtag" || !strings.HasPrefix(name, "#") || !isHTTPURL(tm["href"].(string)) {
				t.Errorf("%s: tag %#v", typ, tm)
			}
		}
	}
}

// asTerms are the terms the ActivityStreams context (www.w3.org/ns/
// activitystreams) defines that our post documents may use.
var asTerms = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`id type Article Page Event Note Create Update Delete Tombstone
		Collection CollectionPage Place Link Mention Object
		actor object attributedTo name summary content source mediaType url published updated to cc
		tag href inReplyTo replies first next partOf items attachment startTime endTime location
		latitude longitude formerType deleted instrument result Accept`) {
		asTerms[s] = true
	}
}

// Every key and type we emit outside the ActivityStreams context must be
// defined in our @context, or JSON-LD readers drop it.
func TestContextDefinesEveryTerm(t *testing.T) {
	p := sampleArticle()
	docs := map[string][]byte{
		"event": must(MarshalPost(sampleEvent(t))), "article": must(MarshalPost(p)),
		"page": must(MarshalPost(samplePage())), "note": must(MarshalPost(sampleNote())),
		"create":    must(MarshalCreate(p.ID+"#create", cpOrg, p)),
		"update":    must(MarshalUpdate(p.ID+"#update", cpOrg, p)),
		"delete":    must(MarshalDelete(p.ID+"#delete", cpOrg, p.ID, "Article", time.Now(), p.To, p.Cc)),
		"tombstone": must(MarshalTombstone(p.ID, "Article", time.Now())),
		"quote accept": must(MarshalQuoteAnswer(QuoteAnswer{Verb: "Accept", ID: cpOrg + "/activities/1", Actor: cpOrg,
			Request: sampleQuoteRequest(), Result: cpOrg + "/quote_authorizations/1"})),
		"quote stamp": must(MarshalQuoteAuthorization(QuoteAuthorization{ID: cpOrg + "/quote_authorizations/1",
			AttributedTo: cpOrg, InteractingObject: sampleQuoteRequest().Instrument, InteractionTarget: p.ID})),
	}
	ctx := Context()[2].(map[string]any)
	for name, doc := range docs {
		var undefined []string
		walkTerms(decodeMap(t, doc), func(term string) {
			if !asTerms[term] && ctx[term] == nil {
				undefined = append(undefined, term)
			}
		})
		if len(undefined) > 0 {
			t.Errorf("%s uses terms the @context does not define: %v", name, undefined)
		}
	}
	// Every compact IRI in the context uses a prefix the context defines.
	for term, v := range ctx {
		s, ok := v.(string)
		if def, isDef := v.(map[string]any); isDef {
			s, ok = def["@id"].(string)
		}
		if !ok {
			t.Errorf("@context term %s = %#v: neither an IRI nor a definition with @id", term, v)
			continue
		}
		if prefix, _, ok := strings.Cut(s, ":"); ok && prefix != "http" && prefix != "https" && prefix != "as" && ctx[prefix] == nil {
			t.Errorf("@context term %s = %s: prefix %q is not defined", term, s, prefix)
		}
	}
}

// walkTerms calls f with every key and every type value in v.
func walkTerms(v any, f func(string)) {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if k == "@context" {
				continue
			}
			f(k)
			if k == "type" {
				if s, ok := child.(string); ok {
					f(s)
				}
			}
			walkTerms(child, f)
		}
	case []any:
		for _, child := range t {
			walkTerms(child, f)
		}
	}
}
