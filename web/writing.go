package web

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/accounts"
)

// writing holds what the logged-in pages share; it lives beside Server so
// that the reading side carries no login state.
type writing struct {
	*Server
	accounts *accounts.Service
	limiter  *accounts.Limiter
}

// newLoginLimiter: after five failures for one address and email, a wait
// of 30 s that doubles with each further failure up to 15 min; an address may fail 30 times in 15 min
// across all emails, enough for a shared office address.
func newLoginLimiter() *accounts.Limiter {
	return &accounts.Limiter{
		PairFree: 5, BackoffBase: 30 * time.Second, BackoffMax: 15 * time.Minute, Remember: 24 * time.Hour,
		AddrMax: 30, AddrWindow: 15 * time.Minute,
	}
}

// registerWriting adds the pages behind a login: composing, editing and the
// admin's federation controls. Every one of them runs behind CSRF
// protection and loads the session's account.
func (s *Server) registerWriting(r *mux.Router) {
	wr := &writing{Server: s, accounts: &accounts.Service{Store: s.Store}, limiter: newLoginLimiter()}
	protect := s.csrfProtect()
	h := func(path string, fn http.HandlerFunc, methods ...string) {
		r.Handle(path, limitBody(protect(wr.withAccount(fn)))).Methods(methods...)
	}
	h("/login", wr.loginForm, "GET", "HEAD")
	h("/login", wr.login, "POST")
	h("/logout", wr.logout, "POST")
	h("/compose", wr.requireLogin(wr.composeForm), "GET", "HEAD")
	h("/compose", wr.keepOrLogin(wr.compose), "POST")
	h("/edit", wr.requireLogin(wr.editForm), "GET", "HEAD")
	h("/edit", wr.keepOrLogin(wr.edit), "POST")
	h("/drafts/discard", wr.requireLogin(wr.discardDraft), "POST")
	h("/scheduled/cancel", wr.requireLogin(wr.cancelScheduled), "POST")
	h("/delete", wr.requireLogin(wr.deleteForm), "GET", "HEAD")
	h("/delete", wr.requireLogin(wr.delete), "POST")
	h("/admin", wr.requireAdmin(wr.admin), "GET", "HEAD")
	h("/admin/followers", wr.requireAdmin(wr.decideFollower), "POST")
	h("/admin/following", wr.requireAdmin(wr.changeFollowing), "POST")
	h("/admin/comments", wr.requireAdmin(wr.removeComment), "POST")
	h("/admin/blocks", wr.requireSiteAdmin(wr.changeBlock), "POST")
	h("/admin/blocks", wr.requireSiteAdmin(wr.blocks), "GET", "HEAD")
	h("/admin/follows", wr.requireAdmin(wr.follows), "GET", "HEAD")
	h("/admin/staff", wr.requireAdmin(wr.staff), "GET", "HEAD")
	h("/admin/staff", wr.requireAdmin(wr.changeStaff), "POST")
	h("/invite/{token}", wr.inviteForm, "GET", "HEAD")
	h("/invite/{token}", wr.acceptInvite, "POST")
	h("/admin/site", wr.requireSiteAdmin(wr.siteForm), "GET", "HEAD")
	h("/admin/site", wr.requireSiteAdmin(wr.saveSite), "POST")
	h("/admin/profile", wr.requireAdmin(wr.profilePictures), "GET", "HEAD")
	h("/admin/profile", wr.requireAdmin(wr.saveProfilePictures), "POST")
	h("/admin/networks", wr.requireNetworkAdmin(wr.networksAdmin), "GET", "HEAD")
	h("/admin/networks/{username}", wr.requireNetworkAdmin(wr.networkAdmin), "GET", "HEAD")
	h("/admin/networks/{username}", wr.requireNetworkAdmin(wr.changeNetworkMember), "POST")
	h("/admin/networks/{username}/remove", wr.requireNetworkAdmin(wr.confirmRemoveMember), "GET", "HEAD")
	h("/admin/networks/{username}/avatar", wr.requireNetworkAdmin(wr.saveNetworkAvatar), "POST")
}
