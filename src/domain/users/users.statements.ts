// The write statements of `users` (insert, update, restore, removal, invitation and push stamps), run by the unit of work.
// `pushed`: the write is the IdP's (the SCIM door): it stamps last_pushed_at in the same statement.
import type { Statement } from "../effects";
import { type UserAccount, type UserProfile, type UserSource, defaultAccount } from "./user";
import { P, RETURNING, SET_PROFILE, JSONB, PROFILE_COLUMNS, accountValues, profileValues } from "./user-rows";
import { userGroupIdsJson } from "../groups/groups.fragments";
import { CREATED_RETURNING } from "./users-create-many.sql";
import { liveUser, removedUser } from "./users.fragments";

/** last_pushed_at's new value: now when `$n` (the write is a push) is true, else as it was. */
const pushStamp = (n: number) => `CASE WHEN $${n}::boolean THEN clock_timestamp() ELSE last_pushed_at END`;

/** The insert's and update's texts, built once (fixed for the process): hashed once by sql.ts, not per call. */
const INSERT_TEXT = `INSERT INTO users (id, ${PROFILE_COLUMNS.map(([, c]) => c).join(", ")}, source, source_ref, password_hash, entity_id, system_role, admin_scope, external, last_pushed_at)
             VALUES ($1, ${PROFILE_COLUMNS.map(([, c], i) => `$${i + 2}${JSONB.has(c) ? "::jsonb" : ""}`).join(", ")}, $${P + 2}, $${P + 3}, $${P + 4}, $${P + 5}, $${P + 6}, $${P + 7}::uuid[], $${P + 8},
                     CASE WHEN $${P + 9}::boolean THEN clock_timestamp() END)
             ON CONFLICT DO NOTHING RETURNING ${RETURNING}`;
/**
 * Many inserts in one statement (an import's new people): one jsonb array of rows keyed by column, read as `users`
 * records; a row whose userName (any casing) or id exists is skipped, as the single insert's. It returns what the
 * records of the rows written need (CREATED_RETURNING, for CREATE_MANY_EFFECTS in the same statement); the caller gets
 * only the ids: no row serialised, no groups read per row.
 */
const INSERT_MANY_COLUMNS = [
  "id",
  ...PROFILE_COLUMNS.map(([, c]) => c),
  "source",
  "source_ref",
  "password_hash",
  "entity_id",
  "system_role",
  "admin_scope",
  "external",
];
const INSERT_MANY_TEXT = `INSERT INTO users (${INSERT_MANY_COLUMNS.join(", ")})
             SELECT ${INSERT_MANY_COLUMNS.map((c) => `r.${c}`).join(", ")} FROM jsonb_populate_recordset(NULL::users, $1::jsonb) AS r
             ON CONFLICT DO NOTHING RETURNING ${CREATED_RETURNING}`;
const UPDATE_TEXT = `UPDATE users SET ${SET_PROFILE}, password_hash = COALESCE($${P + 3}, password_hash),
             entity_id = $${P + 4}, system_role = $${P + 5}, admin_scope = $${P + 6}::uuid[], external = $${P + 7},
             last_pushed_at = ${pushStamp(P + 8)}, updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND ${liveUser()} AND version = $${P + 2} RETURNING ${RETURNING}`;

/**
 * An IdP switching a live person on or off and nothing else (UserUpdates.switchAlone): applied only when `active`
 * changes and, with If-Match, the version is one the client accepts. PostgreSQL re-checks the WHERE on the newest row
 * when another writer got there first, so the before-state (not $2) the audit records is the row's.
 */
const SWITCH_TEXT = `UPDATE users SET active = $2, last_pushed_at = ${pushStamp(4)}, updated_at = clock_timestamp(),
             version = version + 1
             WHERE id = $1 AND ${liveUser()} AND active IS DISTINCT FROM $2 AND ($3::int[] IS NULL OR version = ANY($3::int[]))
             RETURNING ${RETURNING}`;

/** The statements that write `users`, built for the unit of work to run (UsersRepository adds the reads). */
export class UserStatements {
  /** Inserts unless the userName exists in any casing (then it returns no row). */
  insert(
    id: string,
    p: UserProfile,
    source: UserSource,
    sourceRef: string | null,
    passwordHash: string | null,
    account: UserAccount = defaultAccount(),
    pushed = false,
  ): Statement {
    return {
      text: INSERT_TEXT,
      values: [id, ...profileValues(p), source, sourceRef, passwordHash, ...accountValues(account), pushed],
    };
  }

  /**
   * Inserts the new users of `rows` in one statement (run with CREATE_MANY_EFFECTS, writeInDerived); those whose
   * userName exists in any casing are not returned.
   */
  insertManyStatement(
    rows: { id: string; profile: UserProfile; account: UserAccount }[],
    source: UserSource,
    sourceRef: string | null,
  ): Statement {
    // The JSON text written directly: profileValues already gives jsonb columns as JSON text (pg would send arrays as
    // PostgreSQL arrays), which goes in as it is, and a NULL column is left out (jsonb_populate_recordset reads it as
    // NULL), instead of parsing that text back and serialising every row again (an import's batch: 500 rows).
    const records = rows.map(({ id, profile, account }) => {
      const values = [id, ...profileValues(profile), source, sourceRef, null, ...accountValues(account)];
      const fields: string[] = [];
      for (const [i, c] of INSERT_MANY_COLUMNS.entries()) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        fields.push(`"${c}":${JSONB.has(c) && typeof v === "string" ? v : JSON.stringify(v)}`);
      }
      return `{${fields.join(",")}}`;
    });
    return { text: INSERT_MANY_TEXT, values: [`[${records.join(",")}]`] };
  }

  /** Replaces the profile and account of a live user, only if it is still at `version` (else no row). */
  update(
    id: string,
    version: number,
    p: UserProfile,
    passwordHash: string | null,
    account: UserAccount,
    pushed = false,
  ): Statement {
    return {
      text: UPDATE_TEXT,
      values: [id, ...profileValues(p), version, passwordHash, ...accountValues(account), pushed],
    };
  }

  /** `active` alone set on a live user, if it changes and (`ifMatch` given) the version is accepted; else no row. */
  switchActive(id: string, active: boolean, ifMatch: number[] | undefined, pushed: boolean): Statement {
    return { text: SWITCH_TEXT, values: [id, active, ifMatch ?? null, pushed] };
  }

  /** Brings a removed account back under a new profile and account. */
  restore(
    id: string,
    p: UserProfile,
    source: UserSource,
    sourceRef: string | null,
    passwordHash: string | null,
    account: UserAccount,
    pushed = false,
  ): Statement {
    return {
      text: `UPDATE users SET ${SET_PROFILE}, source = $${P + 2}, source_ref = $${P + 3}, password_hash = COALESCE($${P + 4}, password_hash),
             entity_id = $${P + 5}, system_role = $${P + 6}, admin_scope = $${P + 7}::uuid[], external = $${P + 8},
             last_pushed_at = ${pushStamp(P + 9)}, leave_snapshot = NULL,
             removed_at = NULL, updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND ${removedUser()} RETURNING ${RETURNING}`,
      values: [id, ...profileValues(p), source, sourceRef, passwordHash, ...accountValues(account), pushed],
    };
  }

  /**
   * IdP removal: deactivated and hidden from SCIM, data kept. Before the groups are left (in the same transaction,
   * after this statement), it keeps what the removal takes away: the groups and the account (a restore gives them back).
   */
  markRemoved(id: string, version: number): Statement {
    return {
      text: `UPDATE users SET active = false, removed_at = clock_timestamp(), updated_at = clock_timestamp(), version = version + 1,
             leave_snapshot = jsonb_build_object('groups', ${userGroupIdsJson("users.id")}, 'entityId', entity_id,
               'systemRole', system_role, 'adminScope', to_jsonb(admin_scope), 'external', external)
             WHERE id = $1 AND ${liveUser()} AND version = $2 RETURNING ${RETURNING}`,
      values: [id, version],
    };
  }

  /** A push that changed nothing still counts as one: the stamp alone (no version, audit or event), at most hourly. */
  markPushed(id: string): Statement {
    return {
      text: `UPDATE users SET last_pushed_at = clock_timestamp() WHERE id = $1 AND ${liveUser()}
             AND (last_pushed_at IS NULL OR last_pushed_at < clock_timestamp() - interval '1 hour') RETURNING ${RETURNING}`,
      values: [id],
    };
  }

  /** Records that an invitation was asked for (lifecycle only: the SCIM version and lastModified do not move). */
  markInvited(id: string, at: Date): Statement {
    return {
      text: `UPDATE users SET invited_at = $2 WHERE id = $1 AND ${liveUser()} RETURNING ${RETURNING}`,
      values: [id, at],
    };
  }
}
