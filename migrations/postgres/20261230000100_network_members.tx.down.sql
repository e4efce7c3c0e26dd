DROP TABLE network_members;
