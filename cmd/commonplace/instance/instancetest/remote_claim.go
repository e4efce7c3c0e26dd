package instancetest

// Hooks for tests of what a hostile peer can claim in its own documents.

// TamperActor makes the remote serve its actor document (not its key stub)
// as changed by fn, e.g. to claim another account's key.
func (r *Remote) TamperActor(fn func(doc map[string]any)) {
	r.mu.Lock()
	r.tamper = fn
	r.mu.Unlock()
}

// PublicKeyPEM is the remote's current public key, which anyone may copy.
func (r *Remote) PublicKeyPEM() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.keys.PublicPEM
}

// ServedActorDoc is the actor document as served, tampering included; a
// test embeds it in an Update of the actor.
func (r *Remote) ServedActorDoc() map[string]any {
	doc := r.actorDoc()
	r.mu.Lock()
	fn := r.tamper
	r.mu.Unlock()
	if fn != nil {
		fn(doc)
	}
	return doc
}
