// Package browserjourneys_test holds the journeys in headless Chromium and the
// accessibility checks. They live apart from the instance tests, which run one
// after another, so that go test runs the two packages side by side.
package browserjourneys_test

import (
	"context"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
)

var bg = context.Background()

const wait = instancetest.Wait
