// Package federation is Commonplace's ActivityPub face: the documents other
// servers fetch (WebFinger, NodeInfo, actors, collections) and, in later
// files, the signed inbox and the delivery of activities. It turns HTTP into
// calls on the use cases in internal/ and their results into ActivityStreams
// JSON through package vocab; it owns no business rules of its own.
package federation
