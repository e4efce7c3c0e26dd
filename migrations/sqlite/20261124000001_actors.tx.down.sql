DROP TABLE instance_settings;
--bun:split
DROP TABLE follows;
--bun:split
DROP TABLE actors;
