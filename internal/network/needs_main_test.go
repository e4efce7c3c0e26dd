package network_test

import (
	"testing"

	"github.com/commonplace-social/commonplace/internal/testneeds"
)

// TestMain ends the run with a line for each service (PostgreSQL, Chromium,
// GoToSocial) whose tests were skipped here, and why.
func TestMain(m *testing.M) { testneeds.Main(m) }
