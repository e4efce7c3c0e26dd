// Package media turns uploaded pictures (organisation avatars and headers,
// the instance logo, images on posts) into files that are safe to serve:
// bounded before decoding, re-encoded from pixels so no metadata survives,
// scaled to a display size and a thumbnail, and kept under immutable,
// content-addressed names in a Storage (a directory or an S3 bucket).
package media
