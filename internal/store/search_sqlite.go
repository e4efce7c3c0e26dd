package store

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	"github.com/commonplace-social/commonplace/internal/sanitize"
)

// The SQLite search index (migrations/sqlite/…_post_search) holds what a
// reader sees of a post: its summary and its HTML as plain text, with the
// snippet markers taken out. The triggers that keep it call this function,
// which every connection of this driver has.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("commonplace_plain_text", 2,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			summary, _ := args[0].(string)
			body, _ := args[1].(string)
			return searchText(summary + "\n" + sanitize.PlainText(body)), nil
		})
	if err != nil {
		panic(fmt.Sprintf("register commonplace_plain_text: %v", err)) // only a second registration fails
	}
}

// searchText removes the snippet markers a post might contain.
func searchText(s string) string {
	return strings.NewReplacer(SnippetStart, "", SnippetEnd, "").Replace(s)
}
