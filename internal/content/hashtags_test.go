package content

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestRenderHashtags(t *testing.T) {
	long := strings.Repeat("a", MaxTagRunes)
	tests := []struct {
		name, in string
		tags     []string
		html     string // a substring the HTML must contain, if any
	}{
		{"in text", "Join #HSCLeeds tonight", []string{"HSCLeeds"}, `Join <a href="https://hscleeds.example/tags/hscleeds" class="hashtag" rel="tag">#HSCLeeds</a> tonight`},
		{"at start, before punctuation", "#TrulySocial, then #HSCLeeds.", []string{"TrulySocial", "HSCLeeds"}, `rel="tag">#HSCLeeds</a>.`},
		{"in brackets", "(#HSCLeeds)", []string{"HSCLeeds"}, `(<a href`},
		{"duplicates keep first spelling", "#HSCLeeds #hscleeds #HSCLEEDS", []string{"HSCLeeds"}, `rel="tag">#HSCLEEDS</a>`},
		{"order of appearance", "#b #a #B", []string{"b", "a"}, ""},
		{"not in code span", "`#HSCLeeds` and #real", []string{"real"}, "<code>#HSCLeeds</code>"},
		{"not in fenced code", "```\n#HSCLeeds\n```", nil, ""},
		{"not in indented code", "    #HSCLeeds", nil, ""},
		{"not in link text", "[#HSCLeeds](https://hscleeds.example/)", nil, `>#HSCLeeds</a>`},
		{"not in URL fragment", "https://x.example/#frag", nil, ""},
		{"not in www URL", "www.x.example/#frag", nil, ""},
		{"not in angle autolink", "<https://x.example/#frag>", nil, ""},
		{"not in unlinked URL", "x.example/#frag", nil, ""},
		{"not after digits only", "#1 and #2nd", nil, ""},
		{"not C#", "C# and F# and issue#12", nil, ""},
		{"not escaped", `\#HSCLeeds`, nil, "<p>#HSCLeeds</p>"},
		{"not a character reference", "&#35;HSCLeeds &#x41;", nil, ""},
		{"not double hash", "##HSCLeeds", nil, ""},
		{"not underscore first", "#_x", nil, ""},
		{"unicode letters", "#Café #健康 #नमस्ते #Ωμέγα", []string{"Café", "健康", "नमस्ते", "Ωμέγα"}, "#नमस्ते</a>"},
		{"decomposed and composed are one tag", "#Cafe\u0301 #Café", []string{"Cafe\u0301"}, ""},
		{"underscore and digits inside", "#HSC_Leeds2013", []string{"HSC_Leeds2013"}, ">#HSC_Leeds2013</a>"},
		{"inside emphasis", "*#TrulySocial*", []string{"TrulySocial"}, `<em><a href="https://hscleeds.example/tags/trulysocial" class="hashtag" rel="tag">#TrulySocial</a></em>`},
		{"in heading", "# Notes from #HSCLeeds", []string{"HSCLeeds"}, "<h2>Notes from <a"},
		{"in table cell", "| tag |\n|---|\n| #TrulySocial |", []string{"TrulySocial"}, "<td><a"},
		{"across a line break", "about #one\n#two here", []string{"one", "two"}, "#one</a>\n<a"},
		{"longest allowed", "#" + long, []string{long}, ""},
		{"too long", "#" + long + "a", nil, ""},
		{"mention is not a tag", "@SocialCareCurry", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Render(tt.in, tagURL)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Tags, tt.tags) {
				t.Errorf("Tags = %q, want %q", r.Tags, tt.tags)
			}
			if tt.html != "" && !strings.Contains(r.HTML, tt.html) {
				t.Errorf("HTML lacks %q:\n%s", tt.html, r.HTML)
			}
			if len(tt.tags) == 0 && strings.Contains(r.HTML, "hashtag") {
				t.Errorf("unexpected hashtag link:\n%s", r.HTML)
			}
		})
	}
}

func TestRenderHashtagsWithoutLinks(t *testing.T) {
	for name, fn := range map[string]func(string) string{
		"nil":    nil,
		"empty":  func(string) string { return "" },
		"unsafe": func(string) string { return "javascript:alert(1)" },
	} {
		r, err := Render("See #HSCLeeds", fn)
		if err != nil {
			t.Fatal(err)
		}
		if r.HTML != "<p>See #HSCLeeds</p>" || !slices.Equal(r.Tags, []string{"HSCLeeds"}) {
			t.Errorf("%s tagURL: HTML %q, Tags %q", name, r.HTML, r.Tags)
		}
	}
}

func TestNormaliseTag(t *testing.T) {
	tests := map[string]string{
		"HSCLeeds":       "hscleeds",
		"#TrulySocial":   "trulysocial",
		" #Café ":        "café",
		"Cafe\u0301":     "café",
		"ΩΜΈΓΑ":          "ωμέγα",
		"健康":             "健康",
		"HSC_Leeds_2013": "hsc_leeds_2013",
	}
	for in, want := range tests {
		if got := NormaliseTag(in); got != want {
			t.Errorf("NormaliseTag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTags(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		bad  string
	}{
		{"a, #b,c", []string{"a", "b", "c"}, ""},
		{"#HSCLeeds #TrulySocial", []string{"HSCLeeds", "TrulySocial"}, ""},
		{" HSCLeeds ,, hscleeds,#HSCLEEDS ", []string{"HSCLeeds"}, ""},
		{"Café, 健康", []string{"Café", "健康"}, ""},
		{"", nil, ""},
		{" , ", nil, ""},
		{"ok, 1st", nil, "1st"},
		{"##double", nil, "##double"},
		{"c#", nil, "c#"},
		{"hsc-leeds", nil, "hsc-leeds"},
		{"#", nil, "#"},
		{"a" + strings.Repeat("b", MaxTagRunes), nil, "ab"},
	}
	for _, tt := range tests {
		got, err := ParseTags(tt.in)
		if tt.bad != "" {
			if !errors.Is(err, ErrInvalidTag) || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("ParseTags(%q) error = %v, want ErrInvalidTag naming %q", tt.in, err, tt.bad)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseTags(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
