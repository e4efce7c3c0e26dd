// Package loadrig is the shared rig of the load programs (commonplace-bench
// and commonplace-soak): it runs real `commonplace serve` processes on a
// fresh database, fleets of remote servers each on its own loopback
// address, measures the RSA signing floor, and samples the CPU and memory
// of the processes under test and of the load itself. Everything it starts
// listens on loopback only.
package loadrig
