package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Session opens a new tab in its own browser context (its own cookies) in
// the same Chromium, so one browser can be a reader, then an author, then
// an admin without starting again. It closes when the test ends.
func Session(t testing.TB, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// As in New, the first call opens the tab and must not carry a timeout:
	// the tab would close with it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a browser session: %v", err)
	}
	return ctx
}

// Focus describes the element that has keyboard focus and how it shows it.
type Focus struct {
	Element      string `json:"element"`      // tag#id[name] "text", for messages
	FocusVisible bool   `json:"focusVisible"` // it matches :focus-visible
	Outline      string `json:"outline"`      // computed outline style, width and colour
	BoxShadow    string `json:"boxShadow"`
	Indicated    bool   `json:"indicated"` // an outline at least 2px wide or a box-shadow is drawn
}

func (f Focus) String() string {
	return fmt.Sprintf("%s (:focus-visible %v, outline %q, box-shadow %q)", f.Element, f.FocusVisible, f.Outline, f.BoxShadow)
}

const focusJS = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body || el === document.documentElement) {
		return {element: "nothing (the page body)", focusVisible: false, outline: "", boxShadow: "none", indicated: false};
	}
	const cs = getComputedStyle(el);
	const text = (el.value || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
	const name = el.getAttribute("name");
	const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
	const shadow = cs.boxShadow !== "none" && cs.boxShadow !== "";
	return {
		element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (name ? "[name=" + name + "]" : "") + (text ? " " + JSON.stringify(text) : ""),
		focusVisible: el.matches(":focus-visible"),
		outline: cs.outlineStyle + " " + cs.outlineWidth + " " + cs.outlineColor,
		boxShadow: cs.boxShadow,
		indicated: outline || shadow,
	};
})()`

// Focused reports the element with keyboard focus.
func Focused(t testing.TB, ctx context.Context) Focus {
	t.Helper()
	return Get(t, ctx, chromedp.Evaluate[Focus](focusJS))
}

// Press sends keys as a keyboard would: keyDown, char and keyUp for each
// (kb.Tab, kb.Enter, " " for Space, or text to type).
func Press(t testing.TB, ctx context.Context, keys string, opts ...chromedp.KeyOption) {
	t.Helper()
	Do(t, ctx, chromedp.KeyEvent(keys, opts...))
}

// Tab moves focus forward (backward when back is true) and fails the test
// unless the newly focused element shows that it has focus.
func Tab(t testing.TB, ctx context.Context, back bool) Focus {
	t.Helper()
	if back {
		Press(t, ctx, kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	} else {
		Press(t, ctx, kb.Tab)
	}
	f := Focused(t, ctx)
	if !f.Indicated {
		t.Errorf("keyboard focus is not visible on %s", f)
	}
	return f
}

// matchesJS reports whether the focused element matches a selector.
const matchesJS = `(() => { const el = document.activeElement; return !!el && el.matches(%q); })()`

// TabTo presses Tab (Shift+Tab when back) until the focused element
// matches selector, at most max times, checking on every step that focus
// is visible. It fails the test if the element is never reached, listing
// the path focus took.
func TabTo(t testing.TB, ctx context.Context, selector string, back bool, max int) {
	t.Helper()
	var path []string
	for range max {
		f := Tab(t, ctx, back)
		path = append(path, f.Element)
		if Get(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(matchesJS, selector))) {
			return
		}
	}
	t.Fatalf("%d presses of Tab never reached %s; focus went:\n  %s", max, selector, strings.Join(path, "\n  "))
}
