DROP TABLE delivery_hosts;
