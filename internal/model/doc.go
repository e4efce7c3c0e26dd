// Package model holds Commonplace's domain types and its error codes. It
// depends on nothing of ours, so every other package can speak in its terms.
package model
