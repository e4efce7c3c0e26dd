package vocab

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	gts    = "http://gts-a.test:8080"
	alice  = gts + "/users/alice"
	probe  = "http://127.0.0.11:7000/users/probe"
	mAlice = "https://mastodon.example/users/alice"
	note   = "http://127.0.0.11:7000/objects/f113ec53a1e0ce96/note"
)
