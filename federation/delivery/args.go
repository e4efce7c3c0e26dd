package delivery

import (
	"encoding/json"
	"fmt"
)

// Job kinds, as stored in the queue. Renaming one strands queued jobs.
const (
	KindFanout  = "delivery.fanout"
	KindDeliver = "delivery.deliver"
	KindDrain   = "delivery.drain"
)

// FanoutArgs asks for one activity to be sent to every distinct inbox among
// Inboxes and, with ToFollowers, the sender's accepted followers.
type FanoutArgs struct {
	SenderID    int64
	Activity    json.RawMessage
	ToFollowers bool
	Inboxes     []string
}

// Kind implements river.JobArgs.
func (FanoutArgs) Kind() string { return KindFanout }

// DrainArgs asked for a host's queued deliveries to be sent, in order,
// before the dispatcher did that; its worker remains for jobs queued
// before an upgrade.
type DrainArgs struct {
	Host string `json:"host"`
}

// Kind implements river.JobArgs.
func (DrainArgs) Kind() string { return KindDrain }

// FanoutArgs and DeliverArgs jobs are no longer queued; their workers
// remain for jobs queued before an upgrade.

// DeliverArgs is one signed POST of an activity to one inbox.
type DeliverArgs struct {
	SenderID int64
	Inbox    string
	Activity json.RawMessage
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return KindDeliver }

// The activity travels in the job as a JSON string, not as nested JSON:
// Postgres stores job args as jsonb, which would reorder keys and drop
// whitespace, and the receiver must get the exact bytes that were queued.

type fanoutWire struct {
	SenderID    int64    `json:"sender_id"`
	Activity    string   `json:"activity"`
	ToFollowers bool     `json:"to_followers,omitempty"`
	Inboxes     []string `json:"inboxes,omitempty"`
}

// MarshalJSON keeps the activity's bytes intact through jsonb.
func (a FanoutArgs) MarshalJSON() ([]byte, error) {
	return json.Marshal(fanoutWire{a.SenderID, string(a.Activity), a.ToFollowers, a.Inboxes})
}

// UnmarshalJSON reverses MarshalJSON.
func (a *FanoutArgs) UnmarshalJSON(b []byte) error {
	var w fanoutWire
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("decode %s args: %w", KindFanout, err)
	}
	*a = FanoutArgs{SenderID: w.SenderID, Activity: json.RawMessage(w.Activity), ToFollowers: w.ToFollowers, Inboxes: w.Inboxes}
	return nil
}

type deliverWire struct {
	SenderID int64  `json:"sender_id"`
	Inbox    string `json:"inbox"`
	Activity string `json:"activity"`
}

// MarshalJSON keeps the activity's bytes intact through jsonb.
func (a DeliverArgs) MarshalJSON() ([]byte, error) {
	return json.Marshal(deliverWire{a.SenderID, a.Inbox, string(a.Activity)})
}

// UnmarshalJSON reverses MarshalJSON.
func (a *DeliverArgs) UnmarshalJSON(b []byte) error {
	var w deliverWire
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("decode %s args: %w", KindDeliver, err)
	}
	*a = DeliverArgs{SenderID: w.SenderID, Inbox: w.Inbox, Activity: json.RawMessage(w.Activity)}
	return nil
}
