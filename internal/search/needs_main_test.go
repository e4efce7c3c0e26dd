package search_test

import (
	"testing"

	"github.com/commonplace-social/commonplace/internal/testneeds"
)

// TestMain ends the run with a line for each service whose tests were
// skipped here, and why.
func TestMain(m *testing.M) { testneeds.Main(m) }
