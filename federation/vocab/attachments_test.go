package vocab

import (
	"encoding/json"
	"testing"
)

// An event with a poster keeps Mobilizon's "Website" link and gains the
// image as a Document next to it, with what Mastodon reads; the first image
// is also the event's image.
func TestMarshalPostImageAttachments(t *testing.T) {
	p := sampleEvent(t)
	poster := ImageAttachment{URL: cpHost + "/media/" + "ab.jpg", MediaType: "image/jpeg",
		Name: "Poster: Tweet Meet, Tuesday at six", Blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj", Width: 1200, Height: 800}
	p.Attachments = []ImageAttachment{poster}
	raw, err := MarshalPost(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Attachment []map[string]any
		Image      map[string]any
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var link, image map[string]any
	for _, a := range doc.Attachment {
		switch a["type"] {
		case "Link":
			link = a
		case "Document":
			image = a
		}
	}
	if link == nil {
		t.Errorf("the online link attachment was lost: %v", doc.Attachment)
	}
	if image == nil || image["url"] != poster.URL || image["mediaType"] != "image/jpeg" || image["name"] != poster.Name ||
		image["blurhash"] != poster.Blurhash || image["width"] != 1200.0 || image["height"] != 800.0 {
		t.Errorf("image attachment = %v", image)
	}
	if doc.Image["url"] != poster.URL || doc.Image["type"] != "Image" {
		t.Errorf("image = %v, want the poster", doc.Image)
	}

	plain, err := MarshalPost(sampleNote())
	if err != nil {
		t.Fatal(err)
	}
	var none map[string]any
	if err := json.Unmarshal(plain, &none); err != nil {
		t.Fatal(err)
	}
	if _, ok := none["image"]; ok {
		t.Errorf("a post without images has an image: %v", none["image"])
	}
}
