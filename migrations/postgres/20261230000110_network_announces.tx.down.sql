DROP TABLE network_announces;
