package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Drafts keep what an author typed on the server. Every compose and edit
// form carries a draft token: a random name for its draft, signed with the
// account it was issued to. When a form arrives without a live session (it
// expired, or the person logged out in another tab) or fails its CSRF
// check, the signature says whose text it is, so it is kept for that
// account alone, for keptDraftLifetime, and the person is sent to log in
// and then straight back to it. Nobody else can read it: a draft is only
// ever loaded for the logged-in account that owns it.

// draftKeySetting stores the key drafts are signed with, shared by every
// process of the instance.
const draftKeySetting = "web_draft_key"

// keptDraftLifetime is how long text kept from a refused form waits for
// its author to log in again.
const keptDraftLifetime = 7 * 24 * time.Hour

// maxDraftsListed bounds the list on the compose page.
const maxDraftsListed = 50

// draftKey reads the signing key, creating it on first use.
func (s *Server) draftKey(ctx context.Context) ([]byte, error) {
	stored, ok, err := s.Store.Setting(ctx, draftKeySetting)
	if err != nil {
		return nil, fmt.Errorf("draft key: %w", err)
	}
	if !ok {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		if stored, err = s.Store.SetSettingOnce(ctx, draftKeySetting, hex.EncodeToString(b)); err != nil {
			return nil, fmt.Errorf("draft key: %w", err)
		}
	}
	key, err := hex.DecodeString(stored)
	if err != nil || len(key) != 32 {
		return nil, errors.New("draft key: the stored key is not 32 bytes of hex")
	}
	return key, nil
}

func newDraftName() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// signDraft makes the form's draft token: ACCOUNT.NAME.MAC.
func (s *Server) signDraft(ctx context.Context, accountID int64, name string) (string, error) {
	key, err := s.draftKey(ctx)
	if err != nil {
		return "", err
	}
	msg := strconv.FormatInt(accountID, 10) + "." + name
	return msg + "." + draftMAC(key, msg), nil
}

func draftMAC(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// openDraft checks a form's draft token and says whose draft it names.
func (s *Server) openDraft(ctx context.Context, signed string) (accountID int64, name string, ok bool) {
	i := strings.LastIndexByte(signed, '.')
	if i < 0 {
		return 0, "", false
	}
	msg, mac := signed[:i], signed[i+1:]
	id, name, found := strings.Cut(msg, ".")
	if !found || name == "" || mac == "" {
		return 0, "", false
	}
	accountID, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, "", false
	}
	key, err := s.draftKey(ctx)
	if err != nil || !hmac.Equal([]byte(mac), []byte(draftMAC(key, msg))) {
		return 0, "", false
	}
	return accountID, name, true
}

// formDraft is the draft a submitted form belongs to: the one it carries
// if that was issued to this account, else a new one.
func (w *writing) formDraft(r *http.Request, a *accounts.Account) (name, signed string, err error) {
	if id, n, ok := w.openDraft(r.Context(), r.PostFormValue("draft")); ok && id == a.ID {
		name = n
	} else {
		name = newDraftName()
	}
	signed, err = w.signDraft(r.Context(), a.ID, name)
	return name, signed, err
}

// keepDraft stores the form's fields as typed. A zero expiry keeps them
// until used or discarded.
func (s *Server) keepDraft(ctx context.Context, accountID int64, name, editOf string, f postForm, expires time.Time) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("keep draft: %w", err)
	}
	if !expires.IsZero() {
		// Kept drafts are the only ones that expire; clear out the old ones
		// whenever a new one is kept, so no background job is needed.
		if _, err := s.Store.DeleteExpiredDrafts(ctx, time.Now()); err != nil {
			s.Log.Warn("clearing expired drafts failed", "err", err)
		}
	}
	return s.Store.PutDraft(ctx, &store.Draft{Token: name, AccountID: accountID, EditOf: editOf, Fields: string(raw), ExpiresAt: expires})
}

// loadDraft reads one of the account's drafts back into a form.
func (s *Server) loadDraft(ctx context.Context, a *accounts.Account, name string) (*store.Draft, postForm, error) {
	var f postForm
	d, err := s.Store.DraftOf(ctx, a.ID, name, time.Now())
	if err != nil {
		return nil, f, err
	}
	if err := json.Unmarshal([]byte(d.Fields), &f); err != nil {
		return nil, f, fmt.Errorf("draft %s: %w", name, err)
	}
	return d, f, nil
}

// keepRefusedForm keeps the text of a compose or edit form that arrived
// without a live session or failed its CSRF check, and sends the person to
// log in (or, if their session is live, straight back to the form) with
// their text restored. It reports false, keeping nothing, for any other
// request and for a form whose draft token is not genuine or not theirs.
func (s *Server) keepRefusedForm(rw http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || (r.URL.Path != "/compose" && r.URL.Path != "/edit") {
		return false
	}
	ctx := r.Context()
	accountID, name, ok := s.openDraft(ctx, r.PostFormValue("draft"))
	if !ok {
		return false
	}
	var live *accounts.Account
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		live, _ = (&accounts.Service{Store: s.Store}).Session(ctx, c.Value)
	}
	if live != nil && live.ID != accountID {
		return false // someone else's form in this browser: keep nothing
	}
	var editOf string
	if r.URL.Path == "/edit" {
		p, err := s.Posts.Find(ctx, r.PostFormValue("post"))
		if err != nil {
			return false
		}
		editOf = p.Token
	}
	if err := s.keepDraft(ctx, accountID, name, editOf, readPostForm(r), time.Now().Add(keptDraftLifetime)); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.Log.Error("keeping a refused form failed", "err", err)
		}
		return false
	}
	back := "/compose?" + url.Values{"draft": {name}}.Encode()
	s.Log.Info("kept the text of a refused form", "account", accountID, "path", r.URL.Path, "logged_in", live != nil)
	if live != nil {
		http.Redirect(rw, r, back, http.StatusSeeOther)
		return true
	}
	http.Redirect(rw, r, "/login?"+url.Values{"next": {back}}.Encode(), http.StatusSeeOther)
	return true
}

// keepOrLogin guards the compose and edit forms' POSTs: without a session
// the text is kept (see keepRefusedForm) before the login.
func (w *writing) keepOrLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if account(r) != nil {
			h(rw, r)
			return
		}
		if !w.keepRefusedForm(rw, r) {
			http.Redirect(rw, r, "/login?next=/compose", http.StatusSeeOther)
		}
	}
}

// draftItem is one of the account's drafts as listed on the compose page.
type draftItem struct {
	Name, Title, KindName, Updated string
	Kept, Edit                     bool
}

func (s *Server) draftItems(ctx context.Context, a *accounts.Account) ([]draftItem, error) {
	ds, err := s.Store.DraftsOf(ctx, a.ID, time.Now(), maxDraftsListed)
	if err != nil {
		return nil, err
	}
	items := make([]draftItem, 0, len(ds))
	for _, d := range ds {
		var f postForm
		if err := json.Unmarshal([]byte(d.Fields), &f); err != nil {
			return nil, fmt.Errorf("draft %s: %w", d.Token, err)
		}
		title := strings.TrimSpace(f.Title)
		if title == "" {
			title = firstWords(f.Body, 8)
		}
		if title == "" {
			title = "Untitled"
		}
		items = append(items, draftItem{Name: d.Token, Title: title, KindName: kindNames[kindParam(f.Kind)],
			Updated: d.UpdatedAt.UTC().Format("2 January 2006, 15:04 UTC"), Kept: !d.ExpiresAt.IsZero(), Edit: d.EditOf != ""})
	}
	return items, nil
}

func firstWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) > n {
		return strings.Join(words[:n], " ") + "…"
	}
	return strings.Join(words, " ")
}

// discardDraft deletes one of the account's drafts.
func (w *writing) discardDraft(rw http.ResponseWriter, r *http.Request) {
	if err := w.Store.DeleteDraft(r.Context(), account(r).ID, r.PostFormValue("draft")); err != nil {
		w.serverError(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/compose?notice=discarded", http.StatusSeeOther)
}

// postOfDraft finds the post a draft edits, if the account may still edit it.
func (w *writing) postOfDraft(ctx context.Context, a *accounts.Account, token string) (*model.Post, error) {
	p, err := w.Store.PostByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if p.Deleted() || !p.Local || !a.Writes(p.AuthorID) {
		return nil, store.ErrNotFound
	}
	return p, nil
}
