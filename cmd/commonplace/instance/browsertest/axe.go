package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeEnv names the axe-core script the accessibility checks inject. Its
// default is where .ci/run installs the pinned npm package (AxeVersion):
//
//	npm install --prefix "$HOME/.cache/commonplace-axe" axe-core@4.14.1
const AxeEnv = "COMMONPLACE_TEST_AXE"

// AxeVersion is the axe-core release CI installs; the rule set, and so what
// counts as a violation, changes between releases.
const AxeVersion = "4.14.1"

// AxeTags are the rule sets Axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and
// AA (WCAG 2.2 added no level-A rules axe checks).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxePath is where the axe-core script is looked for: $COMMONPLACE_TEST_AXE,
// else the npm cache directory .ci/run fills.
func AxePath() string {
	if p := os.Getenv(AxeEnv); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "commonplace-axe", "node_modules", "axe-core", "axe.min.js")
}

var axeSource = sync.OnceValues(func() (string, error) {
	p := AxePath()
	if p == "" {
		return "", fmt.Errorf("no home directory to find axe-core in; set %s", AxeEnv)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("read axe-core: %w", err)
	}
	return string(b), nil
})

// NeedAxe skips the test when axe-core is not installed on a developer's
// machine, and fails it in CI, which installs it.
func NeedAxe(t testing.TB) {
	t.Helper()
	if _, err := axeSource(); err != nil {
		how := fmt.Sprintf(`npm install --prefix "$HOME/.cache/commonplace-axe" axe-core@%s, or set %s to an axe.min.js`, AxeVersion, AxeEnv)
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is needed for the accessibility tests (%v): %s", err, how)
		}
		t.Skipf("axe-core is not installed (%v); accessibility tests skipped: %s", err, how)
	}
}

// Violation is one axe rule a page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []any  `json:"target"` // CSS selectors; nested lists for shadow DOM
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// String is the violation as a test failure shows it: rule, impact, help,
// then each offending element and what is wrong with it.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s [%s]", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		sel := make([]string, len(n.Target))
		for i, s := range n.Target {
			sel[i] = fmt.Sprint(s)
		}
		fmt.Fprintf(&b, "\n      %s\n        %s", strings.Join(sel, " >> "),
			strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n        "))
	}
	return b.String()
}

// axeRun runs the injected axe on the whole document with only the WCAG A
// and AA rules, and returns the violations alone (passes and "incomplete"
// results would make every answer large). axe ships target-size (WCAG 2.2's
// 2.5.8, touch targets of at least 24 px) turned off, so it is turned on.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: %s}, rules: {"target-size": {enabled: true}}, resultTypes: ["violations"]})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})))`

// AxeViolations injects axe-core into the page the browser is showing and
// returns what it finds. The script goes in through the DevTools protocol
// (Runtime.evaluate), which the page's Content-Security-Policy does not
// govern, so the site's no-script policy needs no exception for testing.
func AxeViolations(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	NeedAxe(t)
	src, _ := axeSource()
	if loaded := Get(t, ctx, chromedp.Evaluate[bool](`typeof axe === "object"`)); !loaded {
		Do(t, ctx, chromedp.Evaluate[chromedp.Void](src))
	}
	tags := `["` + strings.Join(AxeTags, `","`) + `"]`
	return Get(t, ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
}

// Axe checks the page the browser is showing against WCAG 2.2 A and AA
// with axe-core, and fails the test listing each violation; name says which
// page it was.
func Axe(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	vs := AxeViolations(t, ctx)
	if len(vs) == 0 {
		return
	}
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = "  - " + v.String()
	}
	t.Errorf("%s: %d accessibility violation(s) (axe-core, WCAG 2.2 A/AA):\n%s", name, len(vs), strings.Join(lines, "\n"))
}
