-- A reviewer's verdicts on a log: whole types and single (type, value) pairs released as false positives. Kept per
-- log rather than on every span (pii_spans.decision, no longer written or read): a verdict on a log with a million
-- spans writes a handful of rows instead of rewriting the spans.
CREATE TABLE pii_review_rejections (
    log_file_id    TEXT NOT NULL REFERENCES log_files(id) ON DELETE CASCADE,
    pii_type       TEXT NOT NULL,
    original_value TEXT            -- NULL: every span of the type
);
CREATE INDEX pii_review_rejections_log ON pii_review_rejections(log_file_id);

-- Verdicts given before, as single values (spans never change, so this releases exactly the same spans).
INSERT INTO pii_review_rejections (log_file_id, pii_type, original_value)
    SELECT DISTINCT log_file_id, pii_type, original_value FROM pii_spans WHERE decision = 'rejected';
