package web

import "testing"

func TestCalendarFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Next #HSCLeeds Tweet Meet":           "next-hscleeds-tweet-meet.ics",
		"Café & Cake: Digital Inclusion!":     "cafe-cake-digital-inclusion.ics",
		`../../etc/passwd"; x=".exe`:          "etc-passwd-x-exe.ics",
		"Ｆｕｌｌ width":                          "full-width.ics",
		"会议":                                  "event.ics",
		"":                                    "event.ics",
		"2026 AGM — Leeds\r\nSet-Cookie: a=b": "2026-agm-leeds-set-cookie-a-b.ics",
		"A very long title that goes on and on about the many things this meetup will cover in detail": "a-very-long-title-that-goes-on-and-on-about-the-many-things.ics",
	} {
		if got := calendarFileName(in); got != want {
			t.Errorf("calendarFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParamText(t *testing.T) {
	for in, want := range map[string]string{
		"St Gemma's Hospice, Leeds": "St Gemma’s Hospice Leeds",
		`Care "Co"; Ltd: North\`:    "Care Co Ltd North",
		"Line\r\nBreak":             "Line Break",
	} {
		if got := paramText(in); got != want {
			t.Errorf("paramText(%q) = %q, want %q", in, got, want)
		}
	}
}
