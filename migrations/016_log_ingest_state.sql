-- A large log is stored in several short transactions (so the app keeps answering Slack meanwhile) under a row that
-- stays 'storing' until the last one flips it to 'ready' together with its log_attach audit entry. Readers see only
-- 'ready' logs; rows left 'storing' by a crash are removed when the app starts.
ALTER TABLE log_files ADD COLUMN ingest_state TEXT NOT NULL DEFAULT 'ready'
    CHECK (ingest_state IN ('storing', 'ready'));
