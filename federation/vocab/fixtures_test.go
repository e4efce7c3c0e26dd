package vocab

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// Each fixture is parsed with the function meant for it; check asserts what
// a caller relies on. TestEveryFixtureCovered keeps the tables complete.
var activityFixtures = map[string]func(t *testing.T, a *Activity){
	"mastodon_create_note.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Create")
		eq(t, "ID", a.ID, mAlice+"/statuses/1/activity")
		eq(t, "Actor", a.Actor, mAlice)
		eq(t, "ObjectIRI", a.ObjectIRI, mAlice+"/statuses/1")
		eq(t, "To", a.To, []string{PublicIRI})
		eq(t, "Cc", a.Cc, []string{mAlice + "/followers", "https://b.example/users/org"})
		eq(t, "Published", a.Published, ts("2025-01-01T12:00:00Z"))
		o := a.Object
		eq(t, "Object.Type", o.Type, "Note")
		eq(t, "Object.ID", o.ID, mAlice+"/statuses/1")
		eq(t, "Object.AttributedTo", o.AttributedTo, mAlice)
		eq(t, "Object.InReplyTo (null)", o.InReplyTo, "")
		eq(t, "Object.Summary", o.Summary, "CW text")
		eq(t, "Object.Sensitive", o.Sensitive, true)
		eq(t, "Object.URL", o.URL, "https://mastodon.example/@alice/1")
		if !strings.HasPrefix(o.Content, `<p>Hello <span class="h-card">`) {
			t.Errorf("Object.Content = %q: content must win over contentMap", o.Content)
		}
		eq(t, "Object.Tags", o.Tags, []Tag{
			{Type: "Mention", Name: "@org@b.example", Href: "https://b.example/users/org"},
			{Type: "Hashtag", Name: "#meetup", Href: "https://mastodon.example/tags/meetup"},
		})
		eq(t, "Object.Attachments", o.Attachments, []Attachment{
			{Type: "Document", MediaType: "image/jpeg", URL: "https://mastodon.example/media/1.jpg", Name: "alt text",
				Blurhash: "UBL_:rOpGG-o", Width: 640, Height: 480},
		})
		eq(t, "Object.RepliesIRI", o.RepliesIRI, mAlice+"/statuses/1/replies")
		eq(t, "Object.Replies (embedded first page)", o.Replies, &Replies{
			ID: mAlice + "/statuses/1/replies", Next: mAlice + "/statuses/1/replies?only_other_accounts=true&page=true",
		})
		eq(t, "Object.To", o.To, []string{PublicIRI})
	},
	"mastodon_delete.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Delete")
		eq(t, "ObjectIRI", a.ObjectIRI, mAlice+"/statuses/1")
		eq(t, "Object.Type", a.Object.Type, "Tombstone")
		eq(t, "Cc", a.Cc, []string{})
	},
	"mastodon_follow.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Follow")
		eq(t, "ObjectIRI", a.ObjectIRI, "https://a.example/users/org")
		eq(t, "Object", a.Object, (*Object)(nil))
		eq(t, "To (absent)", a.To, []string{})
	},
	"mastodon_undo_like.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Undo")
		eq(t, "ObjectIRI", a.ObjectIRI, mAlice+"#likes/5")
		eq(t, "Object.Type", a.Object.Type, "Like")
		eq(t, "Object.Actor", a.Object.Actor, mAlice)
		eq(t, "Object.ObjectIRI", a.Object.ObjectIRI, "https://a.example/notes/1")
	},
	"gotosocial/accept_follow.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Accept")
		eq(t, "ID (root-level ULID)", a.ID, gts+"/01M87S2XPP929N9KPRN8Y3MP85")
		eq(t, "To", a.To, []string{probe})
		eq(t, "ObjectIRI", a.ObjectIRI, "http://127.0.0.11:7000/follows/dafebcc8b5ab27e0")
		eq(t, "Object.Type", a.Object.Type, "Follow")
		eq(t, "Object.Actor", a.Object.Actor, probe)
		eq(t, "Object.ObjectIRI", a.Object.ObjectIRI, alice)
		eq(t, "Object.To", a.Object.To, []string{alice})
	},
	"gotosocial/announce.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Announce")
		eq(t, "ObjectIRI", a.ObjectIRI, note)
		eq(t, "To", a.To, []string{alice + "/followers"})
		eq(t, "Cc", a.Cc, []string{probe, PublicIRI})
		eq(t, "Published", a.Published, ts("2026-11-24T22:00:04Z"))
	},
	"gotosocial/create_note_content_warning.json": func(t *testing.T, a *Activity) {
		eq(t, "Cc (single string)", a.Cc, []string{alice + "/followers"})
		eq(t, "Object.Summary", a.Object.Summary, "CW: test spoiler")
		eq(t, "Object.Sensitive", a.Object.Sensitive, true)
		eq(t, "Object.Tags ([])", len(a.Object.Tags), 0)
		eq(t, "Object.Attachments ([])", len(a.Object.Attachments), 0)
	},
	"gotosocial/create_note_mention_hashtag.json": func(t *testing.T, a *Activity) {
		eq(t, "Cc", a.Cc, []string{alice + "/followers", probe})
		eq(t, "Object.Tags", a.Object.Tags, []Tag{
			{Type: "Mention", Name: "@probe@127.0.0.11:7000", Href: probe},
			{Type: "Hashtag", Name: "#interop", Href: gts + "/tags/interop"},
		})
	},
	"gotosocial/create_note_public.json": func(t *testing.T, a *Activity) {
		id := alice + "/statuses/01M87S3HE0FXV34ZQP8A34FR8Q"
		eq(t, "ID", a.ID, id+"/activity#Create")
		eq(t, "ObjectIRI", a.ObjectIRI, id)
		eq(t, "To (single string)", a.To, []string{PublicIRI})
		eq(t, "Object.Type", a.Object.Type, "Note")
		eq(t, "Object.Content", a.Object.Content, "<p>Hello fediverse! This is a plain public post from alice.</p>")
		eq(t, "Object.URL", a.Object.URL, gts+"/@alice/statuses/01M87S3HE0FXV34ZQP8A34FR8Q")
		eq(t, "Object.Sensitive", a.Object.Sensitive, false)
		eq(t, "Object.RepliesIRI", a.Object.RepliesIRI, id+"/replies")
		eq(t, "Object.Replies.FirstID", a.Object.Replies.FirstID, id+"/replies?page=true")
		eq(t, "Object.Kind (Mastodon-family note)", a.Object.Kind, "")
	},
	"gotosocial/create_note_reply.json": func(t *testing.T, a *Activity) {
		eq(t, "Object.InReplyTo", a.Object.InReplyTo, note)
		eq(t, "Object.Tags (single object)", a.Object.Tags, []Tag{
			{Type: "Mention", Name: "@probe@127.0.0.11:7000", Href: probe},
		})
	},
	"gotosocial/delete_note.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Delete")
		eq(t, "ObjectIRI (bare URL)", a.ObjectIRI, alice+"/statuses/01M87S3HE0FXV34ZQP8A34FR8Q")
		eq(t, "Object", a.Object, (*Object)(nil))
	},
	"gotosocial/follow.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Follow")
		eq(t, "ID", a.ID, alice+"/follow/01JCA8FQG27HYZP0FSVKXDBYSX")
		eq(t, "ObjectIRI", a.ObjectIRI, probe)
		eq(t, "To", a.To, []string{probe})
	},
	"gotosocial/like.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Like")
		eq(t, "ObjectIRI", a.ObjectIRI, note)
	},
	"gotosocial/undo_announce.json": func(t *testing.T, a *Activity) {
		eq(t, "Object.Type", a.Object.Type, "Announce")
		eq(t, "Object.ObjectIRI", a.Object.ObjectIRI, note)
		eq(t, "Object.To", a.Object.To, []string{alice + "/followers"})
		eq(t, "Object.Cc", a.Object.Cc, []string{probe, PublicIRI})
	},
	"gotosocial/undo_follow.json": func(t *testing.T, a *Activity) {
		eq(t, "ObjectIRI", a.ObjectIRI, alice+"/follow/01JCA8FQG27HYZP0FSVKXDBYSX")
		eq(t, "Object.Type", a.Object.Type, "Follow")
		eq(t, "Object.ObjectIRI", a.Object.ObjectIRI, probe)
	},
	"gotosocial/undo_like.json": func(t *testing.T, a *Activity) {
		eq(t, "Object.Type", a.Object.Type, "Like")
		eq(t, "Object.ID", a.Object.ID, alice+"/liked/01M87S5BKXW8H2GGJQJ7KK28YG")
	},
	"gotosocial/update_note.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Update")
		eq(t, "Object.Updated", a.Object.Updated, ts("2026-11-24T21:59:15Z"))
		eq(t, "Object.Published", a.Object.Published, ts("2026-11-24T21:59:01Z"))
		if !strings.Contains(a.Object.Content, "(edited)") {
			t.Errorf("Object.Content = %q", a.Object.Content)
		}
	},
	"gotosocial/update_person.json": func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "Update")
		eq(t, "To", a.To, []string{PublicIRI})
		eq(t, "Cc", a.Cc, []string{})
		eq(t, "Object.Type", a.Object.Type, "Person")
		eq(t, "ObjectIRI", a.ObjectIRI, alice)
		// The embedded actor's own bytes parse as an actor.
		actor, err := ParseActor(a.Object.Raw)
		if err != nil {
			t.Fatalf("ParseActor(Object.Raw): %v", err)
		}
		eq(t, "actor.Name", actor.Name, "Alice (interop test)")
		eq(t, "actor.PublicKey.ID", actor.PublicKey.ID, alice+"/main-key")
	},
}

var actorFixtures = map[string]func(t *testing.T, a *RemoteActor){
	"mastodon_person.json": func(t *testing.T, a *RemoteActor) {
		eq(t, "actor", *a, RemoteActor{
			ID: mAlice, Type: "Person", PreferredUsername: "alice", Name: "Alice", Summary: "<p>hi</p>",
			URL: "https://mastodon.example/@alice", Inbox: mAlice + "/inbox", Outbox: mAlice + "/outbox",
			Followers: mAlice + "/followers", Following: mAlice + "/following",
			SharedInbox: "https://mastodon.example/inbox", IconURL: "https://mastodon.example/avatar.png",
			PublicKey: PublicKey{ID: mAlice + "#main-key", Owner: mAlice,
				PEM: "-----BEGIN PUBLIC KEY-----\nMIIB...\n-----END PUBLIC KEY-----\n"},
			Discoverable: true, Indexable: true, Published: ts("2023-01-01T00:00:00Z"),
			Fields: []Field{{Name: "Website", ValueHTML: `<a href="https://alice.example">alice.example</a>`}},
			Raw:    a.Raw,
		})
	},
	"gotosocial/actor_alice.json": func(t *testing.T, a *RemoteActor) {
		eq(t, "Name", a.Name, "Alice (interop test)")
		eq(t, "Inbox", a.Inbox, alice+"/inbox")
		eq(t, "SharedInbox (none)", a.SharedInbox, "")
		eq(t, "PublicKey.ID", a.PublicKey.ID, alice+"/main-key")
		eq(t, "PublicKey.Owner", a.PublicKey.Owner, alice)
		if !strings.HasPrefix(a.PublicKey.PEM, "-----BEGIN PUBLIC KEY-----\nMIIBIjAN") {
			t.Errorf("PEM = %q", a.PublicKey.PEM)
		}
		eq(t, "Published", a.Published, ts("2026-11-24T21:16:27Z"))
	},
}

var keyFixtures = map[string]PublicKey{
	"gotosocial/main_key.json": {ID: alice + "/main-key", Owner: alice},
}

var objectFixtures = map[string]func(t *testing.T, o *Object){
	"mobilizon_event.json": func(t *testing.T, o *Object) {
		eq(t, "Type", o.Type, "Event")
		eq(t, "ID", o.ID, "https://mobilizon.example/events/252d5816")
		eq(t, "Name", o.Name, "Mobilizon Launching Party")
		eq(t, "Actor", o.Actor, "https://mobilizon.example/@tcit")
		eq(t, "AttributedTo", o.AttributedTo, "https://mobilizon.example/@tcit")
		eq(t, "Content", o.Content, "<p>Launch party</p>")
		eq(t, "MediaType", o.MediaType, "text/html")
		eq(t, "StartTime", o.StartTime, ts("2019-12-18T13:00:00Z"))
		eq(t, "EndTime", o.EndTime, ts("2019-12-18T14:00:00Z"))
		eq(t, "Timezone (absent)", o.Timezone, "")
		eq(t, "To", o.To, []string{PublicIRI})
		eq(t, "Cc ([])", o.Cc, []string{})
		eq(t, "Tags", o.Tags, []Tag{{Type: "Hashtag", Name: "#Mobilizon", Href: "https://mobilizon.example/tags/mobilizon"}})
		lat, long := -1.549, 47.216 // swapped by Mobilizon's example, returned as sent
		eq(t, "Location", o.Location, &Place{
			Name: "Cour du Chateau", Address: "Nantes, France", Locality: "Nantes", Country: "France",
			Latitude: &lat, Longitude: &long,
		})
		eq(t, "JoinMode", o.JoinMode, "free")
		eq(t, "BookingURL (free)", o.BookingURL, "")
		eq(t, "OnlineURL (none)", o.OnlineURL, "")
		eq(t, "Kind (not ours)", o.Kind, "")
	},
	// Our own output (golden_test.go) as another Commonplace reads it.
	"out_event.json": func(t *testing.T, o *Object) {
		eq(t, "round trip", o, wantObject(sampleEvent(t), o.Raw))
	},
	"out_article.json": func(t *testing.T, o *Object) {
		eq(t, "round trip", o, wantObject(sampleArticle(), o.Raw))
	},
}

var collectionFixtures = map[string]func(t *testing.T, c *CollectionPage){
	"gotosocial/outbox.json": func(t *testing.T, c *CollectionPage) {
		eq(t, "Type", c.Type, "OrderedCollection")
		eq(t, "TotalItems", c.TotalItems, 9)
		eq(t, "First", c.First, alice+"/outbox?limit=40")
		eq(t, "Items", len(c.Items), 0)
	},
	"gotosocial/outbox_page.json": func(t *testing.T, c *CollectionPage) {
		eq(t, "Type", c.Type, "OrderedCollectionPage")
		eq(t, "PartOf", c.PartOf, alice+"/outbox")
		eq(t, "Next", c.Next, alice+"/outbox?limit=40&max_id=01M87PPT0WSZDEVJSQET9RC98J")
		eq(t, "Prev", c.Prev, alice+"/outbox?limit=40&min_id=01M87S3QBBTHNZPTM75DWDGAT2")
		eq(t, "len(Items)", len(c.Items), 9)
		// Items are embedded Creates whose object is a bare IRI; their bytes
		// (no @context) go through ParseActivity.
		status := alice + "/statuses/01M87S3MCMWAY4R4CN3EWTGDSV"
		eq(t, "Items[1].IRI", c.Items[1].IRI, status+"/activity#Create")
		a, err := ParseActivity(c.Items[1].Raw)
		if err != nil {
			t.Fatalf("ParseActivity(item): %v", err)
		}
		eq(t, "item.ObjectIRI", a.ObjectIRI, status)
		eq(t, "item.Object", a.Object, (*Object)(nil))
		eq(t, "item.Cc", a.Cc, []string{alice + "/followers", probe})
		for i, it := range c.Items {
			if a, err := ParseActivity(it.Raw); err != nil || a.Type != "Create" || len(a.To) != 1 {
				t.Errorf("item %d: %+v, %v", i, a, err)
			}
		}
	},
	"gotosocial/followers.json": func(t *testing.T, c *CollectionPage) {
		eq(t, "Type", c.Type, "OrderedCollection")
		eq(t, "TotalItems", c.TotalItems, 43)
		eq(t, "First", c.First, alice+"/followers?limit=40")
	},
	"gotosocial/followers_page.json": func(t *testing.T, c *CollectionPage) {
		eq(t, "Type", c.Type, "OrderedCollectionPage")
		eq(t, "TotalItems (drifted)", c.TotalItems, 43)
		eq(t, "Items", c.Items, []Item{
			{IRI: probe}, {IRI: "http://127.0.0.4:9090/users/carol"},
			{IRI: "http://gts-d.test/users/dave"}, {IRI: "http://gts-b.test:8080/users/bob"},
		})
		eq(t, "Next", c.Next, alice+"/followers?limit=40&max_id=01M87PPA2GHAN7D0AF4TJBKB4X")
	},
	"gotosocial/following.json": func(t *testing.T, c *CollectionPage) {
		eq(t, "TotalItems", c.TotalItems, 3)
		eq(t, "First", c.First, alice+"/following?limit=40")
	},
}

func TestActivityFixtures(t *testing.T) {
	for name, check := range activityFixtures {
		t.Run(name, func(t *testing.T) {
			raw := fixture(t, name)
			a, err := ParseActivity(raw)
			if err != nil {
				t.Fatal(err)
			}
			if string(a.Raw) != string(raw) {
				t.Error("Raw is not the bytes received")
			}
			if a.To == nil || a.Cc == nil {
				t.Error("To/Cc must be non-nil")
			}
			if a.Object != nil && a.Object.ID != a.ObjectIRI {
				t.Errorf("ObjectIRI %q != embedded id %q", a.ObjectIRI, a.Object.ID)
			}
			check(t, a)
		})
	}
}

func TestActorFixtures(t *testing.T) {
	for name, check := range actorFixtures {
		t.Run(name, func(t *testing.T) {
			a, err := ParseActor(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			check(t, a)
			// Every actor document is also a valid key document.
			key, err := ParseKeyDocument(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "key", key, a.PublicKey)
		})
	}
}

func TestKeyFixtures(t *testing.T) {
	for name, want := range keyFixtures {
		t.Run(name, func(t *testing.T) {
			key, err := ParseKeyDocument(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "ID", key.ID, want.ID)
			eq(t, "Owner", key.Owner, want.Owner)
			if !strings.HasPrefix(key.PEM, "-----BEGIN PUBLIC KEY-----") {
				t.Errorf("PEM = %q", key.PEM)
			}
		})
	}
}

func TestObjectFixtures(t *testing.T) {
	for name, check := range objectFixtures {
		t.Run(name, func(t *testing.T) {
			o, err := ParseObject(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			check(t, o)
		})
	}
}

func TestCollectionFixtures(t *testing.T) {
	for name, check := range collectionFixtures {
		t.Run(name, func(t *testing.T) {
			c, err := ParseCollectionPage(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			check(t, c)
		})
	}
}

// Mastodon embeds the first replies page, without an id, in every Note.
func TestEmbeddedRepliesPage(t *testing.T) {
	var doc struct {
		Object struct {
			Replies json.RawMessage `json:"replies"`
		} `json:"object"`
	}
	if err := json.Unmarshal(fixture(t, "mastodon_create_note.json"), &doc); err != nil {
		t.Fatal(err)
	}
	c, err := ParseCollectionPage(doc.Object.Replies)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Type", c.Type, "Collection")
	eq(t, "TotalItems (absent)", c.TotalItems, -1)
	eq(t, "First (no id)", c.First, "")
	if c.FirstPage == nil {
		t.Fatal("FirstPage not read")
	}
	eq(t, "FirstPage.Type", c.FirstPage.Type, "CollectionPage")
	eq(t, "FirstPage.Next", c.FirstPage.Next, mAlice+"/statuses/1/replies?only_other_accounts=true&page=true")
	eq(t, "FirstPage.Items", len(c.FirstPage.Items), 0)
}

func TestEveryFixtureCovered(t *testing.T) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		name := filepath.ToSlash(strings.TrimPrefix(path, "testdata"+string(filepath.Separator)))
		_, a := activityFixtures[name]
		_, b := actorFixtures[name]
		_, c := keyFixtures[name]
		_, d2 := objectFixtures[name]
		_, e := collectionFixtures[name]
		if !a && !b && !c && !d2 && !e {
			t.Errorf("fixture %s has no test", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
