DROP TABLE inbox_activities;
