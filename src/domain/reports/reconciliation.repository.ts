import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { membershipChangesOnScimGroups } from "../audit-log/audit.fragments";
import { groupDisplayName } from "../groups/groups.fragments";
import { liveUser, userDisplay, usersWhere } from "../users/users.fragments";
import type { ReconciliationKind, ReconciliationQuery, ReconciliationRow } from "./reconciliation";

/** A keyset position within one kind: the text of its sort values, as PostgreSQL wrote them (full precision). */
export type KindKey = string[];

interface RawRow {
  id: string;
  name: string | null;
  at: Date | null;
  detail: Record<string, unknown>;
  key: string[];
}

/** The keyset condition of the lists in creation order ($3, $4: the last row's created_at and id). */
const CREATED_AFTER = " AND (u.created_at, u.id) > ($3::timestamptz, $4::uuid)";

/** The person's first address, for the detail of a person's line. */
const firstEmail = `(SELECT e FROM unnest(roster_lower_values(u.emails)) e LIMIT 1)`;

/**
 * The reconciliation report's pages, one kind at a time, each a keyset page in SQL (never the whole table in memory):
 * people through users' fragments, membership changes through the audit log's, group names through groups'.
 */
export class ReconciliationRepository {
  async page(
    m: EntityManager,
    kind: ReconciliationKind,
    q: ReconciliationQuery,
    after: KindKey | null,
    limit: number,
  ): Promise<ReconciliationRow[]> {
    const rows = await this.read(m, kind, q, after, limit);
    return rows.map((r) => ({
      kind,
      subjectType: kind === "admin_change_in_idp_group" ? "group" : "user",
      id: r.id,
      name: r.name,
      at: r.at,
      detail: r.detail,
      key: JSON.stringify(r.key),
    }));
  }

  private read(m: EntityManager, kind: ReconciliationKind, q: ReconciliationQuery, after: KindKey | null, n: number) {
    switch (kind) {
      case "stale_push": {
        // The partial index users_last_pushed_idx serves this order and condition.
        const pushed = "coalesce(u.last_pushed_at, u.created_at)";
        const where = `${liveUser("u")} AND u.active AND (u.source = 'scim' OR u.last_pushed_at IS NOT NULL)
          AND ${pushed} < now() - make_interval(days => $1::int)${after ? ` AND (${pushed}, u.id) > ($3::timestamptz, $4::uuid)` : ""}`;
        return sql<RawRow>(
          m,
          `SELECT u.id, ${userDisplay("u")} AS name, u.last_pushed_at AS at,
                  jsonb_build_object('userName', u.user_name, 'email', ${firstEmail}, 'source', u.source) AS detail,
                  ARRAY[${pushed}::text, u.id::text] AS key
           FROM ${usersWhere(where)} ORDER BY ${pushed}, u.id LIMIT $2`,
          [q.staleDays, n, ...(after ?? [])],
        );
      }
      case "not_pushed_since": {
        const where = `${liveUser("u")} AND u.active AND u.source = 'scim'
          AND (u.last_pushed_at IS NULL OR u.last_pushed_at < $1::timestamptz)${after ? CREATED_AFTER : ""}`;
        return sql<RawRow>(
          m,
          `SELECT u.id, ${userDisplay("u")} AS name, u.last_pushed_at AS at,
                  jsonb_build_object('userName', u.user_name, 'email', ${firstEmail}, 'createdAt', u.created_at) AS detail,
                  ARRAY[u.created_at::text, u.id::text] AS key
           FROM ${usersWhere(where)} ORDER BY u.created_at, u.id LIMIT $2`,
          [q.since, n, ...(after ?? [])],
        );
      }
      case "hand_made_in_idp_domain": {
        const domainOf = `(SELECT split_part(e, '@', 2) FROM unnest(roster_lower_values(u.emails)) e
                           WHERE split_part(e, '@', 2) = ANY($1::text[]) LIMIT 1)`;
        const where = `${liveUser("u")} AND u.source IN ('admin', 'csv') AND ${domainOf} IS NOT NULL${after ? CREATED_AFTER : ""}`;
        return sql<RawRow>(
          m,
          `SELECT u.id, ${userDisplay("u")} AS name, u.created_at AS at,
                  jsonb_build_object('userName', u.user_name, 'email', ${firstEmail}, 'source', u.source,
                                     'domain', ${domainOf}, 'active', u.active) AS detail,
                  ARRAY[u.created_at::text, u.id::text] AS key
           FROM ${usersWhere(where)} ORDER BY u.created_at, u.id LIMIT $2`,
          [q.idpDomains, n, ...(after ?? [])],
        );
      }
      case "admin_change_in_idp_group":
        return sql<RawRow>(
          m,
          `SELECT a.target_id AS id, ${groupDisplayName("a.target_id")} AS name, a.at,
                  jsonb_build_object('action', a.action, 'members', a.changes->'members', 'actor', a.actor_name,
                                     'actorId', a.actor_id, 'auditSeq', s.seq) AS detail,
                  ARRAY[a.id::text] AS key
           FROM ${membershipChangesOnScimGroups("a", "s", "'admin'")}${after ? " AND a.id > $2::bigint" : ""}
           ORDER BY a.id LIMIT $1`,
          [n, ...(after ?? [])],
        );
    }
  }
}
