-- One row per lane of ordered work (a remote host's deliveries, a remote
-- actor's received activities). The job holding a lane works its items one
-- after another; holder is that River job's id, and the hold lasts while the
-- job is live, so River's rescue of a crashed process's jobs frees its lanes.
-- seq counts appends, so a holder never lets go of a lane that just grew.
CREATE TABLE job_lanes (
    lane     TEXT NOT NULL,
    lane_key TEXT NOT NULL,
    seq      BIGINT NOT NULL DEFAULT 0,
    holder   BIGINT,
    PRIMARY KEY (lane, lane_key)
);
