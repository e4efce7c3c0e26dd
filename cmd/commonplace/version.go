package main

import (
	"context"
	"fmt"
	"io"

	"github.com/commonplace-social/commonplace/internal/buildinfo"
)

func runVersion(_ context.Context, _ []string, out, _ io.Writer) error {
	fmt.Fprintf(out, "%s %s\n", buildinfo.Name, buildinfo.Version)
	return nil
}
