package orgs_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

func TestCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		svc := &orgs.Service{Store: s}
		a, err := svc.Create(ctx, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice",
			Summary: "Hospice care in Leeds.", Website: "https://www.st-gemma.co.uk"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, "stgemmas")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Name != "St Gemma's Hospice" || got.Type != model.ActorOrganization || !got.Local {
			t.Errorf("stored org = %+v", got)
		}
		priv, err := keys.ParsePrivate(got.PrivateKeyPEM)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := keys.ParsePublic(got.PublicKeyPEM)
		if err != nil || !pub.Equal(&priv.PublicKey) {
			t.Errorf("stored key pair does not match: %v", err)
		}

		t.Run("ErrUsernameTaken", func(t *testing.T) {
			_, err := svc.Create(ctx, orgs.NewOrg{Username: "stgemmas", Name: "Again"})
			if model.ErrorCode(err) != model.EConflict {
				t.Errorf("code = %s (%v), want conflict", model.ErrorCode(err), err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := svc.Get(ctx, "nobody")
			if model.ErrorCode(err) != model.ENotFound {
				t.Errorf("code = %s, want not_found", model.ErrorCode(err))
			}
		})
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	svc := &orgs.Service{Store: s}
	cases := map[string]orgs.NewOrg{
		"empty username":     {Name: "X"},
		"upper case":         {Username: "Volition", Name: "X"},
		"space":              {Username: "leeds th", Name: "X"},
		"at sign":            {Username: "@volition", Name: "X"},
		"trailing dot":       {Username: "volition.", Name: "X"},
		"too long":           {Username: strings.Repeat("a", 31), Name: "X"},
		"reserved":           {Username: "actor", Name: "X"},
		"no name":            {Username: "volition"},
		"website not a url":  {Username: "volition", Name: "X", Website: "volition"},
		"website javascript": {Username: "volition", Name: "X", Website: "javascript:alert(1)"},
	}
	for name, in := range cases {
		_, err := svc.Create(ctx, in)
		if model.ErrorCode(err) != model.EInvalid {
			t.Errorf("%s: code = %s (%v), want invalid", name, model.ErrorCode(err), err)
		}
	}
	if n, _ := s.CountLocalActors(ctx, model.ActorOrganization); n != 0 {
		t.Errorf("%d organisations stored from bad input", n)
	}
}

// Two operators running `org add` for the same name at once: exactly one wins
// and the other gets the same clear conflict, not a database error.
func TestCreateRaceHasOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		svc := &orgs.Service{Store: s}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.Create(ctx, orgs.NewOrg{Username: "volition", Name: "Volition"})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch model.ErrorCode(err) {
			case "":
				ok++
			case model.EConflict:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d creations succeeded, want 1", ok)
		}
	})
}
