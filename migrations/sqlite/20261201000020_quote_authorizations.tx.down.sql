DROP TABLE quote_authorizations;
