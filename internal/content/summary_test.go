package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummary(t *testing.T) {
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"fits", "Cake at the Tweet Meet", 40, "Cake at the Tweet Meet"},
		{"whitespace collapsed", "  Cake \n\n at\tthe   meet ", 40, "Cake at the meet"},
		{"exact fit", "Tech North", 10, "Tech North"},
		{"one over", "Tech North!", 10, "Tech…"},
		{"cut falls on a space", "abc def ghi", 8, "abc def…"},
		{"cut inside a word backs up, no space before …", "abc def ghi", 9, "abc def…"},
		{"dangling comma dropped", "Cakes, coffee and talk", 9, "Cakes…"},
		{"dash dropped", "Curry – at the Mumtaz", 8, "Curry…"},
		{"multi-byte runes", "Café crème brûlée ensemble", 12, "Café crème…"},
		{"long first word is cut hard", "Supercalifragilistic", 6, "Super…"},
		{"no spaces at all", "健康と社会的ケアの会合です", 5, "健康と社…"},
		{"max one", "Tweet Meet", 1, "…"},
		{"max zero", "Tweet Meet", 0, ""},
		{"empty", "   ", 10, ""},
	}
	for _, tt := range tests {
		if got := Summary(tt.in, tt.limit); got != tt.want {
			t.Errorf("%s: Summary(%q, %d) = %q, want %q", tt.name, tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestSummaryBounds(t *testing.T) {
	text := "The Social Care Curry is at the Mumtaz on 5 September — follow @SocialCareCurry, " +
		"use #TrulySocial, and bring a friend: ça va être très sympa, 健康 and all."
	for limit := 1; limit <= utf8.RuneCountInString(text)+1; limit++ {
		got := Summary(text, limit)
		if n := utf8.RuneCountInString(got); n > limit || !utf8.ValidString(got) {
			t.Fatalf("Summary(_, %d) = %q: %d runes", limit, got, n)
		}
		if strings.HasSuffix(got, " "+ellipsis) || strings.HasSuffix(got, ","+ellipsis) {
			t.Errorf("Summary(_, %d) = %q: space or comma before the ellipsis", limit, got)
		}
	}
}
