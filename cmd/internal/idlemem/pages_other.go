//go:build !linux

package idlemem

// dropExecutablePages is Linux-only; elsewhere only the heap is returned.
func dropExecutablePages() (int64, error) { return 0, nil }
