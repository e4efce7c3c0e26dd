package vocab

import (
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
)

// go-fed builds a resolver for every type it knows each time it types a
// document: a fifth of parsing an activity, and 4% of the server's CPU
// under an inbox flood, to learn something that depends only on the
// @context and the type. typeVerdicts remembers the answer per (context,
// type). It holds only answers that do not depend on the activity's id
// (an activity, or not one); a document go-fed refuses is asked about
// again. Senders use a few contexts and types, so the map stays small;
// maxTypeVerdicts bounds it against one that invents them.
var (
	typeVerdicts     sync.Map // typeVerdictKey -> error (nil: an activity or an unknown type)
	typeVerdictCount atomic.Int64
)

const maxTypeVerdicts = 4096

type typeVerdictKey struct{ context, typ string }

// verdictKey is the memo's key for a document's @context and type, or
// false when the context cannot be written down.
func verdictKey(ctx any, typ string) (typeVerdictKey, bool) {
	if s, ok := ctx.(string); ok {
		return typeVerdictKey{s, typ}, true
	}
	b, err := json.Marshal(ctx) // maps come out with sorted keys: one form per context
	if err != nil {
		return typeVerdictKey{}, false
	}
	return typeVerdictKey{string(b), typ}, true
}

// rememberedVerdict returns check's answer for (ctx, typ), asking check
// only the first time.
func rememberedVerdict(ctx any, typ string, check func() error) error {
	key, ok := verdictKey(ctx, typ)
	if !ok {
		return check()
	}
	if v, hit := typeVerdicts.Load(key); hit {
		err, _ := v.(error)
		return err
	}
	err := check()
	if (err == nil || errors.Is(err, ErrUnsupportedType)) && typeVerdictCount.Load() < maxTypeVerdicts {
		if _, loaded := typeVerdicts.LoadOrStore(key, err); !loaded {
			typeVerdictCount.Add(1)
		}
	}
	return err
}
