-- Initial schema (PostgreSQL). Tables go to the first schema of the connection's search_path
-- (`Search Path=connector` in the connection string to keep them apart). Every statement is
-- idempotent (IF NOT EXISTS): running the script again changes nothing.

CREATE TABLE IF NOT EXISTS users (
    user_id              text        NOT NULL PRIMARY KEY,
    mailbox              text        NOT NULL,
    sync_mode            integer     NOT NULL,
    enabled              boolean     NOT NULL,
    identity_name        text,
    due_at               timestamptz NOT NULL,
    last_success_at      timestamptz,
    last_attempt_at      timestamptz,
    last_error           text,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    lease_owner          text,
    lease_expires_at     timestamptz
);

-- ClaimDueUsersAsync walks enabled users by due time.
CREATE INDEX IF NOT EXISTS users_due ON users (due_at, user_id) WHERE enabled;

CREATE TABLE IF NOT EXISTS folder_pairs (
    pair_id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id                 text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind                    integer     NOT NULL,
    exchange_collection_id  text        NOT NULL,
    nextcloud_collection_id text        NOT NULL,
    -- Opaque change-feed tokens, unbounded: an EWS SyncState can be many KB (S22).
    exchange_token          text,
    nextcloud_token         text,
    first_sync_completed    boolean     NOT NULL DEFAULT false,
    state                   text        NOT NULL DEFAULT 'Active',
    state_reason            text,
    UNIQUE (user_id, exchange_collection_id, nextcloud_collection_id)
);

CREATE TABLE IF NOT EXISTS item_relations (
    pair_id                 bigint      NOT NULL REFERENCES folder_pairs (pair_id) ON DELETE CASCADE,
    uid                     text        NOT NULL,
    exchange_id             text,
    exchange_version        text,
    nextcloud_id            text,
    nextcloud_version       text,
    content_hash            text,
    last_error              text,
    error_exchange_version  text,
    error_nextcloud_version text,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (pair_id, uid)
);

CREATE INDEX IF NOT EXISTS item_relations_exchange_id ON item_relations (pair_id, exchange_id);
CREATE INDEX IF NOT EXISTS item_relations_nextcloud_id ON item_relations (pair_id, nextcloud_id);

-- Per-user log, capped: AppendLogAsync keeps the newest StateStoreOptions.LogLinesPerUser lines.
CREATE TABLE IF NOT EXISTS sync_log (
    log_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    at      timestamptz NOT NULL,
    level   text        NOT NULL,
    message text        NOT NULL
);

CREATE INDEX IF NOT EXISTS sync_log_user ON sync_log (user_id, at, log_id);
