package instancetest

import (
	"net/http"
	"strconv"
	"sync/atomic"
)

// servedFile is a file the remote serves as its media server would.
type servedFile struct {
	contentType string
	data        []byte
	gets        *atomic.Int64
}

// ServeFile makes the remote serve data at path with the given content
// type, and returns its URL.
func (r *Remote) ServeFile(path, contentType string, data []byte) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.files == nil {
		r.files = map[string]servedFile{}
	}
	r.files[path] = servedFile{contentType: contentType, data: data, gets: new(atomic.Int64)}
	return r.Server.URL + path
}

// FileGets counts the GETs of a file served with ServeFile.
func (r *Remote) FileGets(path string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.files[path]; ok {
		return f.gets.Load()
	}
	return 0
}

func (r *Remote) serveFile(w http.ResponseWriter, req *http.Request) bool {
	r.mu.Lock()
	f, ok := r.files[req.URL.Path]
	r.mu.Unlock()
	if !ok || req.Method != http.MethodGet {
		return false
	}
	f.gets.Add(1)
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	_, _ = w.Write(f.data)
	return true
}
