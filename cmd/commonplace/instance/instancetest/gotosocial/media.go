package gotosocial

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"
)

// Attachment is the part of a client-API media attachment the tests read.
type Attachment struct {
	ID          string `json:"id"`
	Type        string `json:"type"` // image, or unknown when the server could not fetch it
	URL         string `json:"url"`
	RemoteURL   string `json:"remote_url"`
	Description string `json:"description"`
}

// MediaStatus is a status with its attachments and its author's avatar.
type MediaStatus struct {
	ID               string       `json:"id"`
	URI              string       `json:"uri"`
	MediaAttachments []Attachment `json:"media_attachments"`
	Account          struct {
		Avatar string `json:"avatar"`
	} `json:"account"`
}

// AccountAvatar is an account's avatar as the client API gives it.
func (c *Client) AccountAvatar(id string) string {
	c.t.Helper()
	var a struct {
		Avatar string `json:"avatar"`
	}
	c.must("GET", "/api/v1/accounts/"+id, nil, &a)
	return a.Avatar
}

// MediaStatus reads a status with its attachments.
func (c *Client) MediaStatus(id string) MediaStatus {
	c.t.Helper()
	var s MediaStatus
	c.must("GET", "/api/v1/statuses/"+id, nil, &s)
	return s
}

// UploadImage uploads a picture with its description (alt text), as an app
// does before posting, and returns the attachment's id.
func (c *Client) UploadImage(name string, data []byte, description string) string {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, err := w.CreateFormFile("file", name)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = w.WriteField("description", description)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.peer.URL+"/api/v2/media", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		c.t.Fatalf("GoToSocial media upload: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var a Attachment
	if resp.StatusCode/100 != 2 || json.Unmarshal(b, &a) != nil || a.ID == "" {
		c.t.Fatalf("GoToSocial media upload answered %d: %s%s", resp.StatusCode, b, c.peer.LogTail(15))
	}
	return a.ID
}

// PostWithMedia publishes a public status carrying uploaded media;
// inReplyTo is a status id or "".
func (c *Client) PostWithMedia(text, inReplyTo string, mediaIDs ...string) Status {
	c.t.Helper()
	form := url.Values{"status": {text}, "visibility": {"public"}, "media_ids[]": mediaIDs}
	if inReplyTo != "" {
		form.Set("in_reply_to_id", inReplyTo)
	}
	var s Status
	c.must("POST", "/api/v1/statuses", form, &s)
	return s
}
