package main

import (
	"context"
	"fmt"
	"io"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
)

func runNetwork(ctx context.Context, args []string, out, _ io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do, e.g. `commonplace network add USERNAME --name NAME` or `commonplace network member list NETWORK`", errUsage)
	}
	switch args[0] {
	case "add":
		return runNetworkAdd(ctx, args[1:], out)
	case "member":
		return runNetworkMember(ctx, args[1:], out)
	default:
		return fmt.Errorf("%w: unknown network command %q (known: add, member)", errUsage, args[0])
	}
}

func runNetworkAdd(ctx context.Context, args []string, out io.Writer) error {
	var in network.NewNetwork
	core, rest, err := openTools(ctx, "network add", "network add USERNAME --name NAME [--summary TEXT]", args, out,
		func(f *configFlags) {
			f.StringVar(&in.Name, "name", "", "display name, e.g. \"#HSCLeeds\" (required)")
			f.StringVar(&in.Summary, "summary", "", "a short description shown on the network's profile")
		})
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give exactly one USERNAME, e.g. `commonplace network add hscleeds --name \"#HSCLeeds\"`", errUsage)
	}
	in.Username = rest[0]
	n, err := core.Networks.Create(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Created network %s (%s). People follow it as %s.\n", n.Username, n.Name, n.Handle(core.Layout.Host()))
	return nil
}

func runNetworkMember(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: say what to do: network member add|remove|list|approve|reject NETWORK [ORG]", errUsage)
	}
	action := args[0]
	switch action {
	case "add", "remove", "list", "approve", "reject":
	default:
		return fmt.Errorf("%w: unknown network member command %q (known: add, remove, list, approve, reject)", errUsage, action)
	}
	usageLine := "network member " + action + " NETWORK ORG  (ORG: a local username, @org@host or an actor URL)"
	if action == "list" {
		usageLine = "network member list NETWORK"
	}
	core, rest, err := openTools(ctx, "network member "+action, usageLine, args[1:], out, nil)
	if err != nil {
		return err
	}
	defer core.Close()
	want := 2
	if action == "list" {
		want = 1
	}
	if len(rest) != want {
		return fmt.Errorf("%w: usage: commonplace %s", errUsage, usageLine)
	}
	n, err := core.Networks.Get(ctx, rest[0])
	if err != nil {
		return err
	}
	if action == "list" {
		return listNetworkMembers(ctx, core, n, out)
	}
	change := map[string]func(context.Context, *model.Actor, string) (*model.Actor, error){
		"add": core.Networks.AddMember, "remove": core.Networks.RemoveMember,
		"approve": core.Networks.Approve, "reject": core.Networks.Reject,
	}[action]
	org, err := change(ctx, n, rest[1])
	if err != nil {
		return err
	}
	done := map[string]string{"add": "added", "remove": "removed", "approve": "approved", "reject": "rejected"}[action]
	fmt.Fprintf(out, "%s: %s %s.", n.Username, done, org.Handle(core.Layout.Host()))
	if !org.Local && (action == "add" || action == "approve") {
		fmt.Fprintf(out, " The network follows it; its posts are re-shared once %s accepts.", org.Host)
	}
	fmt.Fprintln(out)
	return nil
}

// listNetworkMembers prints members, then requests, one a line: handle,
// state, actor id (remote only) and since when.
func listNetworkMembers(ctx context.Context, core *instance.Core, n *model.Actor, out io.Writer) error {
	members, err := core.Networks.Members(ctx, n)
	if err != nil {
		return err
	}
	requests, err := core.Networks.Requests(ctx, n)
	if err != nil {
		return err
	}
	if len(members)+len(requests) == 0 {
		fmt.Fprintf(out, "%s has no members yet: add one with `commonplace network member add %s ORG`.\n", n.Username, n.Username)
	}
	for _, m := range append(members, requests...) {
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", m.Actor.Handle(core.Layout.Host()), m.State, m.Actor.IRI, m.Since.Format("2006-01-02 15:04"))
	}
	return nil
}
