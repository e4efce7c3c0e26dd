package config

import (
	"log/slog"
	"testing"
)

// At the default level a working request is not logged; a failed one is.
func TestRequestLevel(t *testing.T) {
	for status, want := range map[int]slog.Level{200: slog.LevelDebug, 304: slog.LevelDebug, 404: slog.LevelDebug, 500: slog.LevelWarn, 503: slog.LevelWarn} {
		if got := RequestLevel(status); got != want {
			t.Errorf("RequestLevel(%d) = %v, want %v", status, got, want)
		}
	}
	t.Setenv(EnvLogLevel, "") // the default, whatever this shell says
	c := FromEnv()
	if RequestLevel(200) >= mustLevel(t, c.LogLevel) {
		t.Errorf("a working request is logged at the default level %q", c.LogLevel)
	}
}

func mustLevel(t *testing.T, s string) slog.Level {
	t.Helper()
	l, err := ParseLevel(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
