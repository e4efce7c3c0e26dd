package config

import (
	"strings"
	"testing"
	"time"
)

func TestNormaliseDomain(t *testing.T) {
	good := map[string]string{
		"social.example.org":  "social.example.org",
		"Social.Example.ORG":  "social.example.org",
		"localhost:8080":      "localhost:8080",
		"127.0.0.1:7000":      "127.0.0.1:7000",
		"[::1]:8080":          "[::1]:8080",
		" hospice.example ":   "hospice.example",
		"a-b.c-d.example:443": "a-b.c-d.example:443",
	}
	for in, want := range good {
		got, err := NormaliseDomain(in)
		if err != nil || got != want {
			t.Errorf("NormaliseDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{"https://example.org", "example.org/path", "exa mple.org", "-bad.example", "example.org:0",
		"example.org:99999", "example.org:http", "user@example.org", "", "bad_label.example", "a..b"}
	for _, in := range bad {
		if got, err := NormaliseDomain(in); err == nil {
			t.Errorf("NormaliseDomain(%q) = %q, want an error", in, got)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("error for %q spans lines: %q", in, err)
		}
	}
}

func TestValidateServer(t *testing.T) {
	base := Config{Domain: "social.example.org", Listen: ":8080", DataDir: t.TempDir(), LogFormat: "text", LogLevel: "info",
		QueueWorkers: 4, JobTimeout: time.Minute, JobRescueAfter: 2 * time.Minute}
	c := base
	if err := c.ValidateServer(); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
	cases := map[string]func(*Config){
		"no domain":       func(c *Config) { c.Domain = "" },
		"bad domain":      func(c *Config) { c.Domain = "http://x" },
		"no listen":       func(c *Config) { c.Listen = "" },
		"bad db scheme":   func(c *Config) { c.DatabaseURL = "mysql://u:secret@h/db" },
		"bad log":         func(c *Config) { c.LogFormat = "xml" },
		"bad level":       func(c *Config) { c.LogLevel = "loud" },
		"no workers":      func(c *Config) { c.QueueWorkers = 0 },
		"rescue too soon": func(c *Config) { c.JobRescueAfter = c.JobTimeout },
	}
	for name, mutate := range cases {
		c := base
		mutate(&c)
		err := c.ValidateServer()
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: error leaks the password: %v", name, err)
		}
	}
}

func TestSchemeFollowsLocalTesting(t *testing.T) {
	c := Config{Domain: "a.example"}
	if c.BaseURL() != "https://a.example" {
		t.Errorf("BaseURL = %q", c.BaseURL())
	}
	c.LocalTesting = true
	if c.BaseURL() != "http://a.example" {
		t.Errorf("local-testing BaseURL = %q", c.BaseURL())
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(EnvDomain, "env.example")
	t.Setenv(EnvLocalTesting, "1")
	t.Setenv(EnvListen, "")
	c := FromEnv()
	if c.Domain != "env.example" || !c.LocalTesting || c.Listen != DefaultListen {
		t.Errorf("FromEnv = %+v", c)
	}
	if !strings.HasPrefix(c.StorageURL(), "sqlite:") {
		t.Errorf("default storage %q is not SQLite", c.StorageURL())
	}
}
