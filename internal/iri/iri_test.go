package iri

import "testing"

func TestLayout(t *testing.T) {
	l := New("https://hospice.example/")
	cases := map[string]string{
		l.Actor("gemma"):     "https://hospice.example/users/gemma",
		l.Key("gemma"):       "https://hospice.example/users/gemma#main-key",
		l.Inbox("gemma"):     "https://hospice.example/users/gemma/inbox",
		l.Outbox("gemma"):    "https://hospice.example/users/gemma/outbox",
		l.Followers("gemma"): "https://hospice.example/users/gemma/followers",
		l.Following("gemma"): "https://hospice.example/users/gemma/following",
		l.Profile("gemma"):   "https://hospice.example/@gemma",
		l.SharedInbox():      "https://hospice.example/inbox",
		l.InstanceActor():    "https://hospice.example/actor",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if h := New("http://127.0.0.1:7001").Host(); h != "127.0.0.1:7001" {
		t.Errorf("Host = %q", h)
	}
}

func TestLocalActorUsername(t *testing.T) {
	l := New("https://hospice.example")
	for in, want := range map[string]string{
		"https://hospice.example/users/gemma": "gemma",
	} {
		if got, ok := l.LocalActorUsername(in); !ok || got != want {
			t.Errorf("LocalActorUsername(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{
		"https://other.example/users/gemma",
		"https://hospice.example/users/gemma/inbox",
		"https://hospice.example/users/",
		"https://hospice.example.evil/users/gemma",
		"http://hospice.example/users/gemma",
	} {
		if got, ok := l.LocalActorUsername(in); ok {
			t.Errorf("LocalActorUsername(%q) = %q, want not local", in, got)
		}
	}
	if l.IsLocal("https://hospice.example.evil/x") {
		t.Error("a longer host counted as local")
	}
}
