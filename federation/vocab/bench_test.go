package vocab

import "testing"

func BenchmarkParseCreateNote(b *testing.B) {
	raw := fixture(b, "mastodon_create_note.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseActivity(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalActor(b *testing.B) {
	a := sampleActor()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MarshalActor(a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalPost(b *testing.B) {
	p := sampleEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MarshalPost(p); err != nil {
			b.Fatal(err)
		}
	}
}
