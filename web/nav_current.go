package web

import "strings"

// navSections are the site navigation's links and the paths under each,
// so the header can mark where the reader is (aria-current and a visible
// underline bar): without it the navigation does not say which page is open.
var navSections = []struct{ href, prefix string }{
	{"/events", "/events"},
	{"/guidance", "/guidance"},
	{"/compose", "/compose"},
	{"/compose", "/edit"},
	{"/admin", "/admin"},
}

// navCurrent is the navigation link for path ("" for none) and whether
// path is that link's page itself rather than a page within its section.
func navCurrent(path string) (href string, exact bool) {
	if path == "/" {
		return "/", true
	}
	for _, s := range navSections {
		if path == s.prefix || strings.HasPrefix(path, s.prefix+"/") {
			return s.href, path == s.href
		}
	}
	return "", false
}

func init() {
	// navMark is the aria-current value for the link to href: "page" on
	// that page, "true" within its section, "" elsewhere.
	funcs["navMark"] = func(current string, exact bool, href string) string {
		switch {
		case current != href:
			return ""
		case exact:
			return "page"
		}
		return "true"
	}
}
