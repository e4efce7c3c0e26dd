DROP TABLE job_lanes;
