-- Where a background pass left off (the CRM change feed's delta link): plain text, not secret.
CREATE TABLE cursors (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
