DROP TABLE sessions;
--bun:split
DROP TABLE account_orgs;
--bun:split
DROP TABLE accounts;
