package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

func init() {
	register(benchmark{name: "floor", summary: "the signing floor alone: K RSA-2048 signatures of deliveries on all cores", run: runFloor})
}

func runFloor(ctx context.Context, args []string, out io.Writer, _ *slog.Logger) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	k := fs.Int("k", 1000, "signatures")
	runs := fs.Int("runs", 3, "measurements")
	size := fs.Int("body", 1500, "bytes of the signed body")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *k < 1 || *runs < 1 {
		return errors.New("--k and --runs must be at least 1")
	}
	fmt.Fprintf(out, "floor: %d RSA-2048 signatures of %d-byte POSTs through httpsign\nmachine: %s\n", *k, *size, loadrig.Machine())
	pool, err := loadrig.NewKeyPool(1)
	if err != nil {
		return err
	}
	for i := range *runs {
		f, err := loadrig.SigningFloor(ctx, pool.Pick(0), *k, *size)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "run %d: %.3f s on %d goroutines = %.0f signatures/s, %.2f ms CPU each\n",
			i+1, f.Elapsed.Seconds(), f.Workers, f.PerSecond(), loadrig.Millis(f.CPU)/float64(f.K))
	}
	return nil
}
