package search

import (
	"strings"
	"unicode"
)

// maxQueryRunes and maxTerms bound what one search asks of the database.
const (
	maxQueryRunes = 256
	maxTerms      = 16
)

// term is a word or a phrase, as the words a tokenizer would find in it:
// runs of letters and digits, lower-cased.
type term []string

// query is what the reader typed, read the way websearch_to_tsquery reads
// it: words and "quoted phrases" must all match, "or" between two of them
// lets either match, and a leading minus excludes one. Every character
// outside letters and digits only separates words, so nothing the reader
// types can reach either database's query syntax.
type query struct {
	all [][]term // each group matches when any of its terms does
	not []term
}

// parseQuery reads the reader's words; it never fails, and odd input just
// has fewer terms.
func parseQuery(in string) query {
	rs := []rune(in)
	if len(rs) > maxQueryRunes {
		rs = rs[:maxQueryRunes]
	}
	var (
		q       query
		or, neg bool
		n       int
	)
	add := func(t term) {
		switch {
		case len(t) == 0 || n == maxTerms:
		case neg:
			q.not = append(q.not, t)
			n++
		case or && len(q.all) > 0:
			q.all[len(q.all)-1] = append(q.all[len(q.all)-1], t)
			n++
		default:
			q.all = append(q.all, []term{t})
			n++
		}
		or, neg = false, false
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			i++
		case r == '"':
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			add(words(rs[i+1 : end]))
			i = end + 1
		case r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '-':
			neg = true
			i++
		default:
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && rs[end] != '"' {
				end++
			}
			if w := string(rs[i:end]); strings.EqualFold(w, "or") && len(q.all) > 0 && !neg {
				or = true
			} else {
				add(words(rs[i:end]))
			}
			i = end
		}
	}
	return q
}

// words splits text into its lower-cased runs of letters and digits.
func words(rs []rune) term {
	var t term
	for _, f := range strings.FieldsFunc(string(rs), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		t = append(t, strings.ToLower(f))
	}
	return t
}

// empty reports whether there is nothing to look for: no words, or only
// words to leave out, which would match almost every post.
func (q query) empty() bool { return len(q.all) == 0 }

// websearch writes the query back in websearch_to_tsquery's syntax, from
// letters and digits only.
func (q query) websearch() string {
	var parts []string
	for _, g := range q.all {
		alts := make([]string, len(g))
		for i, t := range g {
			alts[i] = websearchTerm(t)
		}
		parts = append(parts, strings.Join(alts, " or "))
	}
	for _, t := range q.not {
		parts = append(parts, "-"+websearchTerm(t))
	}
	return strings.Join(parts, " ")
}

func websearchTerm(t term) string {
	if len(t) == 1 {
		return t[0]
	}
	return `"` + strings.Join(t, " ") + `"`
}

// fts5 writes the query as an FTS5 expression: every term a quoted string
// (a phrase, passed through the tokenizer, so stemmed), every operator
// bracketed.
func (q query) fts5() string {
	groups := make([]string, len(q.all))
	for i, g := range q.all {
		alts := make([]string, len(g))
		for j, t := range g {
			alts[j] = `"` + strings.Join(t, " ") + `"`
		}
		groups[i] = "(" + strings.Join(alts, " OR ") + ")"
	}
	expr := strings.Join(groups, " AND ")
	for _, t := range q.not {
		expr = "(" + expr + `) NOT "` + strings.Join(t, " ") + `"`
	}
	return expr
}

// String is the query as the page shows it back: what was understood.
func (q query) String() string { return q.websearch() }
