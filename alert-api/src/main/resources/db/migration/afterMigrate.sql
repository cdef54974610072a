-- Runs after every migration, as the tables' owner: what the service's own role (the runtime role,
-- VIGIL_PG_USER) may do. It owns nothing, so it cannot alter a table, drop or disable a trigger, or
-- truncate. On audit_log it may only read, and insert the columns that say what happened: the row's
-- id and time come from the database, so a row cannot be backdated (PCI DSS 10.3.2). Re-run on every
-- start, so a new table or a new runtime role gets its grants without a migration of its own.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON cases, alerts, alert_authorizations, case_notes, label_outbox, users
    TO "${runtime_role}";
REVOKE ALL ON audit_log FROM "${runtime_role}";
GRANT SELECT ON audit_log TO "${runtime_role}";
GRANT INSERT (username, action, resource, outcome, client, detail) ON audit_log TO "${runtime_role}";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "${runtime_role}";
