// Package browsertest drives Debian's headless Chromium through chromedp, so
// that page tests see what a person's browser sees: the rendered page,
// forms submitted by clicks, downloads. Without Chromium the tests are
// skipped on a developer machine and fail in CI, which installs it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/internal/testneeds"
)

// Path is where Debian's chromium package puts the browser.
const Path = "/usr/bin/chromium"

// New starts a fresh headless Chromium with its own profile directory and
// returns a browser context that lives until the test ends. The flags keep
// it from reaching out to Google's services, which this machine's closed
// network refuses.
func New(t testing.TB) context.Context {
	t.Helper()
	exe := Path
	if _, err := os.Stat(exe); err != nil {
		found, lookErr := exec.LookPath("chromium")
		if lookErr != nil {
			testneeds.Missing(t, testneeds.Chromium, "no chromium at "+Path+" or on PATH; install it (apt-get install -y chromium)")
		}
		exe = found
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first call starts the browser and must not carry a timeout (it
	// would stop the browser with it); a broken install fails here.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// Do runs browser actions in order with a timeout, failing the test on error.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(runCtx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// ClickToNextPage clicks sel, a link or a form's button, and waits until
// the page it leads to has loaded. Waiting for an element both pages have,
// such as main, returns at once while the click's request is still under
// way, and what the test does next races it: a check that reads the
// database, or a navigation that cancels a form's POST.
func ClickToNextPage(sel string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.leaving = "1"`),
		chromedp.Click(sel),
		chromedp.WaitNotPresent(`html[data-leaving]`),
		chromedp.WaitVisible("main"),
	}
}

// Get runs one browser action that returns a value.
func Get[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(runCtx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Screenshot saves a full-page PNG at the given width, for people to look
// at (the file path is logged); COMMONPLACE_SCREENSHOTS names a directory to
// keep them in, otherwise they go to the test's temporary directory.
func Screenshot(t testing.TB, ctx context.Context, name string, width int64) string {
	t.Helper()
	dir := os.Getenv("COMMONPLACE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	Do(t, ctx, chromedp.EmulateViewport(width, 800))
	png := Get(t, ctx, chromedp.FullScreenshot(100)) // 100 gives PNG; less gives JPEG
	path := dir + "/" + name + ".png"
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
	return path
}

// FitsWidth reports whether the page at the given viewport width needs no
// sideways scrolling, the commonest way a page breaks on a phone.
func FitsWidth(t testing.TB, ctx context.Context, width int64) bool {
	t.Helper()
	Do(t, ctx, chromedp.EmulateViewport(width, 800))
	return Get(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
}
