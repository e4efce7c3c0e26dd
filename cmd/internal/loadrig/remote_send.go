package loadrig

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// Signer signs as this remote's key; it is made on first use, since
// parsing a key costs about as much as a signature and most remotes of a
// fan-out fleet never send.
func (r *Remote) Signer() (*httpsign.Signer, error) {
	r.signerOnce.Do(func() { r.signer, r.signerErr = httpsign.NewSigner(r.KeyID, r.Key.PrivatePEM) })
	return r.signer, r.signerErr
}

// Signed is a request signed ahead of sending: its body and headers.
type Signed struct {
	URL    string
	Body   []byte
	Header http.Header
}

// Sign signs a POST of activity to inbox as this remote, now.
func (r *Remote) Sign(inbox string, activity any) (Signed, error) {
	body, err := json.Marshal(activity)
	if err != nil {
		return Signed{}, fmt.Errorf("encode activity: %w", err)
	}
	req, err := http.NewRequest(http.MethodPost, inbox, nil)
	if err != nil {
		return Signed{}, fmt.Errorf("request to %s: %w", inbox, err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	s, err := r.Signer()
	if err != nil {
		return Signed{}, err
	}
	if err := s.Sign(req, body); err != nil {
		return Signed{}, err
	}
	return Signed{URL: inbox, Body: body, Header: req.Header}, nil
}

// Do sends a signed request with c and returns the status.
func (s Signed) Do(ctx context.Context, c *http.Client) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(s.Body))
	if err != nil {
		return 0, fmt.Errorf("request to %s: %w", s.URL, err)
	}
	req.Header = s.Header.Clone()
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post to %s: %w", s.URL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// Send signs an activity as this remote and POSTs it to inbox with c.
func (r *Remote) Send(ctx context.Context, c *http.Client, inbox string, activity any) (int, error) {
	s, err := r.Sign(inbox, activity)
	if err != nil {
		return 0, err
	}
	return s.Do(ctx, c)
}

// Client is an HTTP client whose connections leave from this remote's own
// address, as a real server's would, so the server under test sees one
// address per remote. With dialTo set, every connection goes there
// whatever the URL says: the URL (and the signed Host) stay the
// instance's domain while the request reaches one of several processes.
func (r *Remote) Client(dialTo string, conns int) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(r.IP())}, Timeout: 10 * time.Second}
	t := &http.Transport{MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dialTo != "" {
				addr = dialTo
			}
			return d.DialContext(ctx, network, addr)
		}}
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}
