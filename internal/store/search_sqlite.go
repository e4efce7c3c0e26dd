package store

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	"github.com/commonplace-social/commonplace/internal/sanitize"
)

// The SQLite search index (migrations/sqlite/…_post_search) holds what a
// reader sees of a post: its HTML as plain text, with the snippet markers
// taken out. The triggers that keep it call this function,
// which every connection of this driver has.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("commonplace_plain_text", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			body, _ := args[0].(string)
			return searchText(sanitize.PlainText(body)), nil
		})
	if err != nil {
		panic(fmt.Sprintf("register commonplace_plain_text: %v", err)) // only a second registration fails
	}
}

// searchText removes the snippet markers a post might contain.
func searchText(s string) string {
	return strings.NewReplacer(SnippetStart, "", SnippetEnd, "").Replace(s)
}
