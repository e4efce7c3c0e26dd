package config

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// ParseLevel reads a log level name.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("log level %q is not known: use debug, info, warn or error", s)
	}
	return l, nil
}

// NewLogger builds the process logger from the configured format and level.
func (c *Config) NewLogger(w io.Writer) *slog.Logger {
	level, err := ParseLevel(c.LogLevel)
	if err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// RequestLevel is the level of the line logged for each HTTP request. A
// working request is debug: at the default level an operator sees start-up,
// failures and federation trouble rather than every page view, and
// --log-level debug shows the traffic. A request the server failed (5xx) is
// a warning, since someone was let down.
func RequestLevel(status int) slog.Level {
	if status >= 500 {
		return slog.LevelWarn
	}
	return slog.LevelDebug
}
