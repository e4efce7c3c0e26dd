package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/model"
)

// removeMemberView is the page that asks before a member is removed, as
// deleting a post asks: a link leads here, and only its form removes.
type removeMemberView struct {
	CSRF    template.HTML
	Network *model.Actor
	Member  memberRow
	Action  string // where the form posts: the network's admin page
	Back    string // keep the member: back to that page
}

// confirmRemoveMember asks "Remove X from N?" for the member named by
// ?member= (its local username or remote handle). Removing stops its posts
// reaching the network's followers, and for a remote member unfollows it,
// so it is worth a second step; the page works without JavaScript.
func (w *writing) confirmRemoveMember(rw http.ResponseWriter, r *http.Request) {
	n, members, ok := w.adminNetworkMembers(rw, r)
	if !ok {
		return
	}
	ref := strings.TrimSpace(r.URL.Query().Get("member"))
	back := "/admin/networks/" + url.PathEscape(n.Username)
	for _, m := range w.memberRows(members) {
		if ref != "" && strings.EqualFold(m.Ref, ref) {
			w.render(rw, r, http.StatusOK, "admin_network_remove", page{Title: "Remove " + m.Name + " from " + n.Name + "?",
				Data: removeMemberView{CSRF: csrf.TemplateField(r), Network: n, Member: m, Action: back, Back: back}})
			return
		}
	}
	w.notFound(rw, r)
}

// removeMemberLink is the address of the page asking to remove a member.
func removeMemberLink(network, ref string) string {
	return "/admin/networks/" + url.PathEscape(network) + "/remove?" + url.Values{"member": {ref}}.Encode()
}
