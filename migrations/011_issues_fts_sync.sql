-- Keep the external-content FTS index in step with issues. The seed's 010 creates the index only;
-- without these triggers a search would miss new issues and return deleted ones.
-- Note: issues has no INTEGER PRIMARY KEY, so a VACUUM may renumber rowids; never VACUUM without
-- rebuilding issues_fts afterwards (INSERT INTO issues_fts(issues_fts) VALUES('rebuild')).
CREATE TRIGGER issues_fts_after_insert AFTER INSERT ON issues BEGIN
    INSERT INTO issues_fts(rowid, id, title, description) VALUES (new.rowid, new.id, new.title, new.description);
END;

CREATE TRIGGER issues_fts_after_delete AFTER DELETE ON issues BEGIN
    INSERT INTO issues_fts(issues_fts, rowid, id, title, description)
        VALUES ('delete', old.rowid, old.id, old.title, old.description);
END;

CREATE TRIGGER issues_fts_after_update AFTER UPDATE OF id, title, description ON issues BEGIN
    INSERT INTO issues_fts(issues_fts, rowid, id, title, description)
        VALUES ('delete', old.rowid, old.id, old.title, old.description);
    INSERT INTO issues_fts(rowid, id, title, description) VALUES (new.rowid, new.id, new.title, new.description);
END;

-- Rows written before this migration (a desktop database brought over) get indexed too.
INSERT INTO issues_fts(issues_fts) VALUES ('rebuild');
