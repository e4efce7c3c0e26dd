// Package buildinfo names the software and its version, for NodeInfo, the
// User-Agent of outgoing requests and `commonplace version`.
package buildinfo

// Name is the software name as NodeInfo wants it: lower case, no spaces.
const Name = "commonplace"

// Version is set at build time with -ldflags "-X …/buildinfo.Version=v1.2.3".
var Version = "0.1.0-dev"

// Repository is where the source lives, for NodeInfo and the User-Agent.
const Repository = "https://github.com/commonplace-social/commonplace"
