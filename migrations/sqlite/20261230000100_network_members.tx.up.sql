-- A network is a local Group actor whose members are organisations, here
-- or elsewhere. 'requested' is an organisation that asked to join by
-- following the network and waits for an admin; 'member' posts are
-- re-shared to the network's followers.
CREATE TABLE network_members (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    network_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('member', 'requested')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (network_id, member_id)
);
--bun:split
-- "Which networks is this actor a member of?" is asked for every post a
-- member publishes or a network receives.
CREATE INDEX network_members_member ON network_members (member_id, state);
