-- Accounts that can be revoked, locked and retired (PCI DSS 8.2.6, 8.2.8, 8.3.4, 8.3.5):
--   session_version       every token carries the version it was issued at; bumping it ends every
--                         session of the user at once (role change, disable, password change, logout)
--   must_change_password  set when someone other than the user chose the password
--   failed_logins         consecutive wrong passwords; reset by a good one
--   locked_until          set after too many wrong passwords
--   last_login_at         a user who has not logged in for 90 days is disabled
ALTER TABLE users
    ADD COLUMN session_version      BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN must_change_password BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN failed_logins        INTEGER     NOT NULL DEFAULT 0,
    ADD COLUMN locked_until         TIMESTAMPTZ,
    ADD COLUMN last_login_at        TIMESTAMPTZ;

-- Who was asking from where (PCI DSS 10.2.2): the client address of every audited request.
ALTER TABLE audit_log ADD COLUMN client TEXT;
