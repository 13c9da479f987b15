-- The seed documents allowed values in comments only. Enforce them in the database too, with triggers,
-- because SQLite cannot add a CHECK to an existing table without rebuilding it.
CREATE TRIGGER issues_check_insert BEFORE INSERT ON issues
WHEN new.severity NOT IN ('critical', 'high', 'medium', 'low')
  OR new.status NOT IN ('open', 'investigating', 'resolved', 'closed')
  OR (new.tags IS NOT NULL AND (json_valid(new.tags) = 0 OR json_type(new.tags) <> 'array'))
BEGIN
    SELECT RAISE(ABORT, 'issues: invalid severity, status or tags');
END;

CREATE TRIGGER issues_check_update BEFORE UPDATE ON issues
WHEN new.severity NOT IN ('critical', 'high', 'medium', 'low')
  OR new.status NOT IN ('open', 'investigating', 'resolved', 'closed')
  OR (new.tags IS NOT NULL AND (json_valid(new.tags) = 0 OR json_type(new.tags) <> 'array'))
BEGIN
    SELECT RAISE(ABORT, 'issues: invalid severity, status or tags');
END;

CREATE TRIGGER resolution_steps_check_insert BEFORE INSERT ON resolution_steps
WHEN new.step_order NOT BETWEEN 1 AND 5
BEGIN
    SELECT RAISE(ABORT, 'resolution_steps: step_order must be between 1 and 5');
END;

CREATE TRIGGER resolution_steps_check_update BEFORE UPDATE ON resolution_steps
WHEN new.step_order NOT BETWEEN 1 AND 5
BEGIN
    SELECT RAISE(ABORT, 'resolution_steps: step_order must be between 1 and 5');
END;

CREATE UNIQUE INDEX resolution_steps_issue_step ON resolution_steps(issue_id, step_order);

CREATE TRIGGER documents_check_insert BEFORE INSERT ON documents
WHEN new.doc_type NOT IN ('rca', 'postmortem')
BEGIN
    SELECT RAISE(ABORT, 'documents: doc_type must be rca or postmortem');
END;

CREATE INDEX log_files_issue ON log_files(issue_id);
CREATE INDEX pii_spans_log_file ON pii_spans(log_file_id, start_offset);
CREATE INDEX resolution_steps_issue ON resolution_steps(issue_id);
CREATE INDEX documents_issue ON documents(issue_id, doc_type);
CREATE INDEX ai_conversations_issue ON ai_conversations(issue_id);
CREATE INDEX ai_messages_conversation ON ai_messages(conversation_id);
CREATE INDEX issues_status_severity ON issues(status, severity);
CREATE INDEX issues_assigned_to ON issues(assigned_to);
