/**
 * The tables, as Kysely sees them. Column types are portable (text, bigint), so PostgreSQL (issue 12)
 * runs the same migrations; times are bigint milliseconds (a PostgreSQL driver must read int8 as a
 * number), structured values are JSON text.
 */
export interface Database {
  /** The reverse index: one row per (repository, file, tag) a scan found. */
  tag_uses: {
    repo_key: string;
    installation_id: number;
    owner: string;
    name: string;
    path: string;
    registry: string;
    image: string;
    tag: string;
    /** The digest the file pins the tag at (null: not pinned). Migration 003. */
    pinned: string | null;
  };
  /** The digest repin last knew for each used tag. */
  tag_digests: {
    registry: string;
    image: string;
    tag: string;
    digest: string;
    recorded_at: number;
  };
  /** Pending work, one row per repository. */
  pending_work: {
    repo_key: string;
    installation_id: number;
    owner: string;
    name: string;
    reason: string;
    first_seen_at: number;
    attempts: number;
    not_before: number;
    version: number;
  };
  repositories: { repo_key: string; state: string; settled: string | null; updated_at: number };
  blobs: { sha: string; text: string | null; unread: string | null };
  /** minimumAge: when a new digest (or tag) was first seen. */
  first_seen: { sighting: string; seen_at: number };
  /** Small JSON records by kind: check states, listing pages, dashboards, verdicts, feed validators. */
  records: { kind: string; key: string; value: string; updated_at: number };
  /** Keys seen recently (delivery ids, refusals), each for a time. */
  recent_keys: { kind: string; key: string; seen_at: number };
  inventories: { digest: string; kind: string; packages: string; stored_at: number };
  /** Write pacing toward GitHub (SPEC 9): when each installation's next write slot is free. */
  write_slots: { scope: string; next_at: number };
  /** Each advisory feed's last copy and its validators (migration 003). */
  feed_copies: { url: string; etag: string | null; last_modified: string | null; body: string; stored_at: number };
}
