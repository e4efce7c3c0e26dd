DROP TABLE post_readers;
