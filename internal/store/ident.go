package store

import "github.com/uptrace/bun/schema"

// bunIdent quotes a column name chosen by our own code (never user input).
func bunIdent(name string) schema.Ident { return schema.Ident(name) }
