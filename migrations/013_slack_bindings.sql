-- An issue lives in a Slack thread: the issue card's message ts is the thread.
CREATE TABLE slack_issue_threads (
    issue_id   TEXT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    team_id    TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    thread_ts  TEXT,            -- NULL until the card is posted
    created_by TEXT NOT NULL,   -- Slack user id
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX slack_issue_threads_thread ON slack_issue_threads(team_id, channel_id, thread_ts)
    WHERE thread_ts IS NOT NULL;
CREATE INDEX slack_issue_threads_channel ON slack_issue_threads(team_id, channel_id);

-- Slack retries events and people double-click: each delivery key is processed once.
CREATE TABLE slack_processed_events (
    event_key   TEXT PRIMARY KEY,  -- e.g. 'event:Ev123', 'submit:<view_id>', 'file:<team>:<file_id>:<thread>'
    kind        TEXT NOT NULL,
    entity_id   TEXT,              -- what the delivery produced (issue id, log file id), to answer a retry
    received_at TEXT NOT NULL
);
