-- Initial schema (SQLite). Times are TEXT in one fixed-width UTC form, 'YYYY-MM-DDTHH:MM:SS.ffffffZ',
-- so that comparing the strings compares the instants; booleans are INTEGER 0/1. Every statement is
-- idempotent (IF NOT EXISTS): running the script again changes nothing.

CREATE TABLE IF NOT EXISTS users (
    user_id              TEXT    NOT NULL PRIMARY KEY,
    mailbox              TEXT    NOT NULL,
    sync_mode            INTEGER NOT NULL,
    enabled              INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    identity_name        TEXT,
    due_at               TEXT    NOT NULL,
    last_success_at      TEXT,
    last_attempt_at      TEXT,
    last_error           TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    lease_owner          TEXT,
    lease_expires_at     TEXT
) STRICT;

-- ClaimDueUsersAsync walks enabled users by due time.
CREATE INDEX IF NOT EXISTS users_due ON users (due_at, user_id) WHERE enabled = 1;

CREATE TABLE IF NOT EXISTS folder_pairs (
    pair_id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id                 TEXT    NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind                    INTEGER NOT NULL,
    exchange_collection_id  TEXT    NOT NULL,
    nextcloud_collection_id TEXT    NOT NULL,
    -- Opaque change-feed tokens, unbounded: an EWS SyncState can be many KB (S22).
    exchange_token          TEXT,
    nextcloud_token         TEXT,
    first_sync_completed    INTEGER NOT NULL DEFAULT 0 CHECK (first_sync_completed IN (0, 1)),
    state                   TEXT    NOT NULL DEFAULT 'Active',
    state_reason            TEXT,
    UNIQUE (user_id, exchange_collection_id, nextcloud_collection_id)
) STRICT;

CREATE TABLE IF NOT EXISTS item_relations (
    pair_id                 INTEGER NOT NULL REFERENCES folder_pairs (pair_id) ON DELETE CASCADE,
    uid                     TEXT    NOT NULL,
    exchange_id             TEXT,
    exchange_version        TEXT,
    nextcloud_id            TEXT,
    nextcloud_version       TEXT,
    content_hash            TEXT,
    last_error              TEXT,
    error_exchange_version  TEXT,
    error_nextcloud_version TEXT,
    updated_at              TEXT    NOT NULL,
    PRIMARY KEY (pair_id, uid)
) STRICT;

CREATE INDEX IF NOT EXISTS item_relations_exchange_id ON item_relations (pair_id, exchange_id);
CREATE INDEX IF NOT EXISTS item_relations_nextcloud_id ON item_relations (pair_id, nextcloud_id);

-- Per-user log, capped: AppendLogAsync keeps the newest StateStoreOptions.LogLinesPerUser lines.
CREATE TABLE IF NOT EXISTS sync_log (
    log_id  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id TEXT    NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    at      TEXT    NOT NULL,
    level   TEXT    NOT NULL,
    message TEXT    NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS sync_log_user ON sync_log (user_id, at, log_id);
