package blocks

import (
	"context"
	"testing"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Hosts are compared in one spelling: a block made in any spelling covers
// ids, key ids and inboxes in any other.
func TestBlocksCompareCanonicalHosts(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := &Service{Store: st, Layout: iri.New("https://ours.example")}
		if _, err := s.BlockDomain(ctx, "EVIL.example.", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BlockDomain(ctx, "bücher.example", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BlockAccount(ctx, "https://Solo.Example./users/x", ""); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{
			"https://evil.example/users/a", "https://evil.example./users/a", "https://EVIL.Example/users/a",
			"https://evil.example:443/users/a", "https://a.evil.example./users/a",
			"https://xn--bcher-kva.example/users/a", "https://BÜCHER.example./users/a",
			"https://solo.example/users/x", "https://SOLO.example.:443/users/x",
		} {
			if blocked, err := s.IsBlocked(ctx, id); err != nil || !blocked {
				t.Errorf("IsBlocked(%s) = %v, %v", id, blocked, err)
			}
		}
		for _, inbox := range []string{"https://evil.example./inbox", "https://EVIL.example:443/users/a/inbox"} {
			if blocked, err := s.DeliveryBlocked(ctx, inbox); err != nil || !blocked {
				t.Errorf("DeliveryBlocked(%s) = %v, %v", inbox, blocked, err)
			}
		}
		if blocked, _ := s.IsBlocked(ctx, "https://notevil.example/users/a"); blocked {
			t.Error("notevil.example is blocked")
		}
	})
}
