package main

import (
	"context"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// The network commands, run next to a server as an operator would: create,
// add and remove members, list them with pending requests, approve and
// reject; mistakes end in one line and a non-zero exit.
func TestNetworkCommands(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	volition := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	cmd := func(args ...string) result {
		t.Helper()
		return runCmd(ctx, nil, t, append(args, "--db", a.DBURL)...)
	}

	if r := cmd("network", "add", "hscleeds", "--name", "#HSCLeeds", "--summary", "Health and care in Leeds"); r.code != 0 ||
		!strings.Contains(r.out, "@hscleeds@"+a.Domain) {
		t.Fatalf("add: %+v", r)
	}
	if r := cmd("network", "member", "list", "hscleeds"); r.code != 0 || !strings.Contains(r.out, "no members yet") {
		t.Errorf("empty list: %+v", r)
	}
	if r := cmd("network", "member", "add", "hscleeds", "stgemmas"); r.code != 0 || !strings.Contains(r.out, "added @stgemmas@"+a.Domain) {
		t.Fatalf("member add: %+v", r)
	}
	net, err := a.Networks.Get(ctx, "hscleeds")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.AddNetworkMember(ctx, a.Store.DB, net.ID, volition.ID, model.NetworkStateRequested); err != nil {
		t.Fatal(err)
	}
	r := cmd("network", "member", "list", "hscleeds")
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "@stgemmas@"+a.Domain+"\tmember") ||
		!strings.HasPrefix(lines[1], "@volition@"+a.Domain+"\trequested") {
		t.Fatalf("list with a request: %+v", r)
	}
	if r := cmd("network", "member", "approve", "hscleeds", "volition"); r.code != 0 || !strings.Contains(r.out, "approved") {
		t.Fatalf("approve: %+v", r)
	}
	if r := cmd("network", "member", "remove", "hscleeds", "@stgemmas@"+a.Domain); r.code != 0 || !strings.Contains(r.out, "removed") {
		t.Fatalf("remove: %+v", r)
	}
	if r := cmd("network", "member", "list", "hscleeds"); r.code != 0 || strings.Contains(r.out, "stgemmas") || !strings.Contains(r.out, "volition\t") && !strings.Contains(r.out, "@volition@") {
		t.Errorf("list at the end: %+v", r)
	}

	for name, args := range map[string][]string{
		"no subcommand":          {"network"},
		"unknown subcommand":     {"network", "rename"},
		"bad username":           {"network", "add", "Has Spaces", "--name", "X"},
		"no name":                {"network", "add", "another"},
		"taken by the network":   {"network", "add", "hscleeds", "--name", "Again"},
		"taken by an org":        {"network", "add", "stgemmas", "--name", "Clash"},
		"unknown network":        {"network", "member", "add", "nowhere", "stgemmas"},
		"an org is no network":   {"network", "member", "list", "stgemmas"},
		"unknown member":         {"network", "member", "add", "hscleeds", "nobody"},
		"itself":                 {"network", "member", "add", "hscleeds", "hscleeds"},
		"approve without asking": {"network", "member", "approve", "hscleeds", "stgemmas"},
		"reject without asking":  {"network", "member", "reject", "hscleeds", "volition"},
		"remove a non-member":    {"network", "member", "remove", "hscleeds", "stgemmas"},
		"missing org":            {"network", "member", "add", "hscleeds"},
	} {
		if r := cmd(args...); r.code == 0 || strings.Count(strings.TrimSpace(r.errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q; want a one-line error", name, r.code, r.errOut)
		}
	}
}
