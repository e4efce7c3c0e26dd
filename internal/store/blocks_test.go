package store_test

import (
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func TestBlockRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, b := range []*store.Block{
			{Kind: store.BlockAccount, Value: "https://m1.example/users/u1", Reason: "spam"},
			{Kind: store.BlockDomain, Value: "bad.example"},
			{Kind: store.BlockDomain, Value: "bad.example", Reason: "again"},
		} {
			if err := s.PutBlock(ctx, s.DB, b); err != nil {
				t.Fatal(err)
			}
		}
		bs, err := s.Blocks(ctx)
		if err != nil || len(bs) != 2 || bs[0].Kind != store.BlockDomain || bs[0].Reason != "again" || bs[1].Reason != "spam" {
			t.Fatalf("blocks = %+v, %v", bs, err)
		}
		if found, err := s.DeleteBlock(ctx, store.BlockDomain, "bad.example"); !found || err != nil {
			t.Errorf("delete: %v, %v", found, err)
		}
		if found, err := s.DeleteBlock(ctx, store.BlockDomain, "bad.example"); found || err != nil {
			t.Errorf("delete again: %v, %v", found, err)
		}
	})
}

// A host block without a port reaches other ports and subdomains; with a
// port, only that server. Local actors are never touched.
func TestDeleteFollowsWithHost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("stgemmas")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		hosts := []string{"bad.example", "a.bad.example:8443", "notbad.example", "bad.example:9000"}
		for i, h := range hosts {
			r := remote(i)
			r.Host = h
			if err := s.UpsertRemoteActor(ctx, r); err != nil {
				t.Fatal(err)
			}
			f := &model.Follow{FollowerID: r.ID, FolloweeID: org.ID, ActivityIRI: r.IRI + "/f", State: model.FollowAccepted}
			if err := s.InsertFollow(ctx, s.DB, f); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.DeleteFollowsWithHost(ctx, s.DB, "bad.example:9000"); n != 1 || err != nil {
			t.Errorf("with a port: removed %d, %v", n, err)
		}
		if n, err := s.DeleteFollowsWithHost(ctx, s.DB, "bad.example"); n != 2 || err != nil {
			t.Errorf("without a port: removed %d, %v", n, err)
		}
		if c, _ := s.CountFollows(ctx, org.ID); c.Followers != 1 {
			t.Errorf("followers left = %d, want notbad.example's", c.Followers)
		}
	})
}
