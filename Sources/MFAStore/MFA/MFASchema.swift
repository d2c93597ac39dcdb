/// The versioned schema of the MFA tables. Migrations are append-only: never edit one that has
/// shipped; add the next version instead.
enum MFASchema {
    static let migrations: [SQLiteMigration] = [
        SQLiteMigration(version: 1, name: "accounts, challenges, codes, sessions, policy, outbox, audit", sql: """
            CREATE TABLE accounts (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                phone TEXT NOT NULL,
                plan TEXT NOT NULL,
                workspace TEXT NOT NULL,
                created_unix INTEGER NOT NULL,
                password_changed_unix INTEGER NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                locked_until_unix INTEGER,
                recent_locks TEXT NOT NULL DEFAULT '',
                locked_until_support INTEGER NOT NULL DEFAULT 0,
                grace_logins_used INTEGER NOT NULL DEFAULT 0,
                totp_enabled INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            CREATE TABLE password_throttle (
                key BLOB PRIMARY KEY,
                failure_times TEXT NOT NULL,
                locked_until_unix INTEGER
            ) STRICT;
            CREATE TABLE challenges (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                created_unix INTEGER NOT NULL,
                reason TEXT NOT NULL,
                methods TEXT NOT NULL,
                status TEXT NOT NULL,
                resend_count INTEGER NOT NULL,
                last_sent_unix INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE email_codes (
                id INTEGER PRIMARY KEY,
                challenge_id TEXT NOT NULL REFERENCES challenges(id),
                code_digest BLOB NOT NULL,
                link_digest BLOB NOT NULL UNIQUE,
                issued_unix INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                status TEXT NOT NULL
            ) STRICT;
            CREATE INDEX email_codes_by_challenge ON email_codes(challenge_id);
            CREATE TABLE sessions (
                token_digest BLOB PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                created_unix INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                revoked_unix INTEGER
            ) STRICT;
            CREATE INDEX sessions_by_account ON sessions(account_id);
            CREATE TABLE enforcement_dates (
                scope TEXT PRIMARY KEY,
                enforce_from_unix INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) STRICT;
            INSERT INTO settings (key, value) VALUES ('exempt_plans', 'trial'), ('grace_logins', '0'), ('grace_days', '0');
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                created_unix INTEGER NOT NULL,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                code TEXT NOT NULL,
                link_token TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_unix INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT ''
            ) STRICT;
            CREATE INDEX outbox_by_state ON outbox(state, next_attempt_unix);
            CREATE TABLE audit_events (
                id INTEGER PRIMARY KEY,
                time_unix INTEGER NOT NULL,
                account_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL
            ) STRICT;
            CREATE INDEX audit_events_by_account ON audit_events(account_id, time_unix);
            CREATE INDEX audit_events_by_time ON audit_events(time_unix);
            """),
        SQLiteMigration(version: 2, name: "totp, recovery codes, trusted devices", sql: """
            CREATE TABLE totp_authenticators (
                account_id TEXT PRIMARY KEY REFERENCES accounts(id),
                sealed_secret BLOB NOT NULL,
                algorithm TEXT NOT NULL,
                digits INTEGER NOT NULL,
                period INTEGER NOT NULL,
                last_used_step INTEGER NOT NULL,
                enabled_unix INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE totp_enrollments (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                sealed_secret BLOB NOT NULL,
                created_unix INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                confirmed INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            CREATE TABLE recovery_codes (
                id INTEGER PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                digest BLOB NOT NULL,
                used_unix INTEGER
            ) STRICT;
            CREATE INDEX recovery_codes_by_account ON recovery_codes(account_id);
            CREATE TABLE trusted_devices (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                token_digest BLOB NOT NULL UNIQUE,
                label TEXT NOT NULL,
                created_unix INTEGER NOT NULL,
                last_used_unix INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                revoked_unix INTEGER,
                revocation TEXT
            ) STRICT;
            CREATE INDEX trusted_devices_by_account ON trusted_devices(account_id);
            -- Whether TOTP is on is now derived from totp_authenticators.
            ALTER TABLE accounts DROP COLUMN totp_enabled;
            """),
        SQLiteMigration(version: 3, name: "contact verification and invitations", sql: """
            ALTER TABLE accounts ADD COLUMN email_verified_unix INTEGER;
            ALTER TABLE accounts ADD COLUMN phone_verified_unix INTEGER;
            -- Accounts made before sign-up verification existed keep logging in.
            UPDATE accounts SET email_verified_unix = created_unix, phone_verified_unix = created_unix;
            CREATE TABLE contact_codes (
                id INTEGER PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id),
                channel TEXT NOT NULL,
                digest BLOB NOT NULL,
                issued_unix INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                status TEXT NOT NULL
            ) STRICT;
            CREATE INDEX contact_codes_by_account ON contact_codes(account_id, channel);
            CREATE TABLE invitations (
                id TEXT PRIMARY KEY,
                token_digest BLOB NOT NULL UNIQUE,
                workspace TEXT NOT NULL,
                plan TEXT NOT NULL,
                email TEXT NOT NULL,
                inviter_account_id TEXT NOT NULL REFERENCES accounts(id),
                created_unix INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                accepted_unix INTEGER
            ) STRICT;
            """),
        SQLiteMigration(version: 4, name: "api keys of calling services", sql: """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                service TEXT NOT NULL,
                key_digest BLOB NOT NULL UNIQUE,
                created_unix INTEGER NOT NULL,
                revoked_unix INTEGER
            ) STRICT;
            CREATE INDEX api_keys_by_service ON api_keys(service);
            """),
        SQLiteMigration(version: 5, name: "outbox delivery: message ids, html bodies, sent times", sql: """
            -- A stable RFC 5322 Message-ID, set when a message is first claimed for delivery.
            ALTER TABLE outbox ADD COLUMN message_id TEXT;
            -- The HTML alternative of body; NULL lets the sender derive it from body.
            ALTER TABLE outbox ADD COLUMN html_body TEXT;
            ALTER TABLE outbox ADD COLUMN sent_unix INTEGER;
            """),
        SQLiteMigration(version: 6, name: "secrets at rest: sealed outbox contents, data keys", sql: """
            -- Body, HTML body, code and link token, sealed under the sealing data key (OutboxSealer);
            -- NULL once sent or dead. The clear columns body, html_body, code, link_token stay empty.
            ALTER TABLE outbox ADD COLUMN sealed_content BLOB;
            -- Delivered or abandoned messages keep nothing of what they said; queued and held ones are
            -- sealed by mfad at its next start (it needs the key).
            UPDATE outbox SET body = '', html_body = NULL, code = '', link_token = '' WHERE state IN ('sent', 'dead');
            -- A database that already holds data keeps the keys derived from its master key (DataKeys).
            INSERT INTO settings (key, value) SELECT 'data_keys_legacy', '1'
                WHERE EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM api_keys);
            """),
        SQLiteMigration(version: 7, name: "totp enrolments keep the parameters their URI announced", sql: """
            -- Enrolments begun before 7 were made with the defaults.
            ALTER TABLE totp_enrollments ADD COLUMN algorithm TEXT NOT NULL DEFAULT 'SHA1';
            ALTER TABLE totp_enrollments ADD COLUMN digits INTEGER NOT NULL DEFAULT 6;
            ALTER TABLE totp_enrollments ADD COLUMN period INTEGER NOT NULL DEFAULT 30;
            """),
    ]
}
