package federation

import (
	"sync"
	"sync/atomic"
)

// inboxState is what the inbox keeps in memory between a request and the
// applier. Its zero value is ready: a Server is built as a literal.
type inboxState struct {
	commits       groupCommit
	lastCrossWake atomic.Int64 // unix nanoseconds of the last wake-up sent to other processes

	once   sync.Once
	local  *localWaker
	parsed *parsedActivities
}

func (st *inboxState) init() *inboxState {
	st.once.Do(func() {
		st.local = &localWaker{}
		st.parsed = newParsedActivities(parsedBudget)
	})
	return st
}

func (s *Server) parsed() *parsedActivities { return s.inboxState.init().parsed }
