-- Logs uploaded into an issue's Slack thread. The original bytes and the redacted text are kept only in this
-- (encrypted) database, in chunks so that large logs are written and read without one giant value.
ALTER TABLE log_files ADD COLUMN slack_file_id TEXT;
ALTER TABLE log_files ADD COLUMN uploaded_by TEXT;          -- Slack user id
ALTER TABLE log_files ADD COLUMN line_count INTEGER;
ALTER TABLE log_files ADD COLUMN content_encoding TEXT NOT NULL DEFAULT 'identity'; -- 'identity' | 'gzip', as received

-- A Slack file is one log per issue, however often Slack delivers the event.
CREATE UNIQUE INDEX log_files_issue_slack_file ON log_files(issue_id, slack_file_id) WHERE slack_file_id IS NOT NULL;

CREATE TABLE log_blobs (
    log_file_id TEXT NOT NULL REFERENCES log_files(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'redacted')),
    seq         INTEGER NOT NULL,
    data        BLOB NOT NULL
);
CREATE UNIQUE INDEX log_blobs_key ON log_blobs(log_file_id, kind, seq);

-- A reviewer's verdict per span: rejected spans (false positives) are shown as they are in the redacted text.
ALTER TABLE pii_spans ADD COLUMN decision TEXT NOT NULL DEFAULT 'pending'
    CHECK (decision IN ('pending', 'approved', 'rejected'));
