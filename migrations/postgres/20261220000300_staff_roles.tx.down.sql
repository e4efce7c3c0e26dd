DROP TABLE password_links;
--bun:split
ALTER TABLE account_orgs DROP COLUMN role;
