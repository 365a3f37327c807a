import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { isUuid } from "../ids";
import { type Keyset, type KeysetPage, keysetPage, keysetSql, readKeysetPage } from "../keyset";
import { userGroupsJson } from "../groups/groups.fragments";
import { liveUser, removedUser } from "./users.fragments";
import {
  type EnterpriseFields,
  type PersonName,
  type SystemRole,
  type User,
  type UserAccount,
  type UserGroup,
  type UserProfile,
  type UserSource,
  defaultAccount,
  pickProfile,
} from "./user";

/**
 * A `users` row as the statements below return it (columns aliased to these names). The table is reached
 * only through this file's SQL; migrations/ define it.
 */
export type UserRow = Omit<UserProfile, "name" | "enterprise"> &
  Omit<PersonName, "formatted"> &
  EnterpriseFields & {
    id: string;
    nameFormatted: string | null;
    source: string;
    sourceRef: string | null;
    removedAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
    version: number;
    entityId: string | null;
    systemRole: SystemRole;
    adminScope: string[];
    external: boolean;
    invitedAt: Date | null;
    enrolledAt: Date | null;
    lastLoginAt: Date | null;
    groups: UserGroup[];
  };

/** The part of an account that rights are judged on (an access/person-access.rules AccessTarget's). */
export type RightsAccount = Pick<UserAccount, "entityId" | "systemRole" | "adminScope">;

export interface SqlWhere {
  sql: string;
  params: unknown[];
}

export interface ListQuery {
  where?: SqlWhere;
  /** SQL expression to sort by (trusted, from the door's attribute map); ties break on created_at, id. */
  orderBy?: string;
  descending?: boolean;
  offset: number;
  limit: number;
}

/** Profile columns in a fixed order, so each statement's text never varies (it is prepared once per connection). */
const PROFILE_COLUMNS: [keyof UserRow, string][] = [
  ["userName", "user_name"],
  ["externalId", "external_id"],
  ["nameFormatted", "name_formatted"],
  ["givenName", "given_name"],
  ["familyName", "family_name"],
  ["middleName", "middle_name"],
  ["honorificPrefix", "honorific_prefix"],
  ["honorificSuffix", "honorific_suffix"],
  ["displayName", "display_name"],
  ["nickName", "nick_name"],
  ["profileUrl", "profile_url"],
  ["title", "title"],
  ["userType", "user_type"],
  ["preferredLanguage", "preferred_language"],
  ["locale", "locale"],
  ["timezone", "timezone"],
  ["active", "active"],
  ["emails", "emails"],
  ["phoneNumbers", "phone_numbers"],
  ["extras", "extras"],
  ["employeeNumber", "employee_number"],
  ["costCenter", "cost_center"],
  ["organization", "organization"],
  ["division", "division"],
  ["department", "department"],
  ["managerId", "manager_id"],
];
const META_COLUMNS: [keyof UserRow, string][] = [
  ["id", "id"],
  ["source", "source"],
  ["sourceRef", "source_ref"],
  ["removedAt", "removed_at"],
  ["createdAt", "created_at"],
  ["updatedAt", "updated_at"],
  ["version", "version"],
  ["entityId", "entity_id"],
  ["systemRole", "system_role"],
  ["adminScope", "admin_scope"],
  ["external", "external"],
  ["invitedAt", "invited_at"],
  ["enrolledAt", "enrolled_at"],
  ["lastLoginAt", "last_login_at"],
];
const JSONB = new Set<string>(["emails", "phone_numbers", "extras"]);
/** The user's direct groups (User.groups) through group_members' user_id index. */
const groupsOf = (userId: string) => `${userGroupsJson(userId)} AS "groups"`;
const RETURNING = `${[...META_COLUMNS, ...PROFILE_COLUMNS].map(([p, c]) => `${c} AS "${p}"`).join(", ")}, ${groupsOf("users.id")}`;
const SELECT = `${[...META_COLUMNS, ...PROFILE_COLUMNS].map(([p, c]) => `u.${c} AS "${p}"`).join(", ")}, ${groupsOf("u.id")}`;
const SET_PROFILE = PROFILE_COLUMNS.map(([, c], i) => `${c} = $${i + 2}${JSONB.has(c) ? "::jsonb" : ""}`).join(", ");
const P = PROFILE_COLUMNS.length;

/** Data access for `users`: SQL only, no rules. Writes come back as Statements for the unit of work. */
export class UsersRepository {
  async findLiveById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<UserRow>(m, `SELECT ${SELECT} FROM users u WHERE u.id = $1 AND ${liveUser("u")}`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async lockById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<UserRow>(m, `SELECT ${SELECT} FROM users u WHERE u.id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async lockByUserName(m: EntityManager, userName: string): Promise<User | null> {
    const rows = await sql<UserRow>(
      m,
      `SELECT ${SELECT} FROM users u WHERE lower(u.user_name) = lower($1) FOR UPDATE`,
      [userName],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** Inserts unless the userName exists in any casing (then it returns no row). */
  insert(
    id: string,
    p: UserProfile,
    source: UserSource,
    sourceRef: string | null,
    passwordHash: string | null,
    account: UserAccount = defaultAccount(),
  ): Statement {
    const cols = PROFILE_COLUMNS.map(([, c]) => c).join(", ");
    const params = PROFILE_COLUMNS.map(([, c], i) => `$${i + 2}${JSONB.has(c) ? "::jsonb" : ""}`).join(", ");
    return {
      text: `INSERT INTO users (id, ${cols}, source, source_ref, password_hash, entity_id, system_role, admin_scope, external)
             VALUES ($1, ${params}, $${P + 2}, $${P + 3}, $${P + 4}, $${P + 5}, $${P + 6}, $${P + 7}::uuid[], $${P + 8})
             ON CONFLICT DO NOTHING RETURNING ${RETURNING}`,
      values: [id, ...profileValues(p), source, sourceRef, passwordHash, ...accountValues(account)],
    };
  }

  /** Replaces the profile and account of a live user, only if it is still at `version` (else no row). */
  update(id: string, version: number, p: UserProfile, passwordHash: string | null, account: UserAccount): Statement {
    return {
      text: `UPDATE users SET ${SET_PROFILE}, password_hash = COALESCE($${P + 3}, password_hash),
             entity_id = $${P + 4}, system_role = $${P + 5}, admin_scope = $${P + 6}::uuid[], external = $${P + 7},
             updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND ${liveUser()} AND version = $${P + 2} RETURNING ${RETURNING}`,
      values: [id, ...profileValues(p), version, passwordHash, ...accountValues(account)],
    };
  }

  /** Brings a removed account back under a new profile and account. */
  restore(
    id: string,
    p: UserProfile,
    source: UserSource,
    sourceRef: string | null,
    passwordHash: string | null,
    account: UserAccount,
  ): Statement {
    return {
      text: `UPDATE users SET ${SET_PROFILE}, source = $${P + 2}, source_ref = $${P + 3}, password_hash = COALESCE($${P + 4}, password_hash),
             entity_id = $${P + 5}, system_role = $${P + 6}, admin_scope = $${P + 7}::uuid[], external = $${P + 8},
             removed_at = NULL, updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND ${removedUser()} RETURNING ${RETURNING}`,
      values: [id, ...profileValues(p), source, sourceRef, passwordHash, ...accountValues(account)],
    };
  }

  /** Which of `names` (lower-cased) are taken, by live users or by accounts an IdP removed. */
  async takenUserNames(m: EntityManager, names: string[]): Promise<Set<string>> {
    const rows = await sql<{ name: string }>(
      m,
      `SELECT lower(user_name) AS name FROM users WHERE lower(user_name) = ANY($1::text[])`,
      [names],
    );
    return new Set(rows.map((r) => r.name));
  }

  /**
   * Holds, until the transaction ends, a lock per lower-cased email (taken in sorted order): two writers giving one
   * address to two people are serialised, so the second sees the first.
   */
  async lockEmails(m: EntityManager, emails: string[]): Promise<void> {
    await sql(
      m,
      `SELECT pg_advisory_xact_lock(hashtextextended('roster.email:' || e, 0)) FROM unnest($1::text[]) AS e`,
      [emails],
    );
  }

  /** A live user other than `exceptId` having one of `emails` (lower-cased), with that address. */
  async liveUserWithEmail(
    m: EntityManager,
    emails: string[],
    exceptId: string | null,
  ): Promise<{ id: string; email: string } | null> {
    const rows = await sql<{ id: string; email: string }>(
      m,
      `
      SELECT u.id, (SELECT e FROM unnest(roster_lower_values(u.emails)) AS e WHERE e = ANY($1::text[]) LIMIT 1) AS email
      FROM users u WHERE ${liveUser("u")} AND roster_lower_values(u.emails) && $1::text[] AND u.id IS DISTINCT FROM $2::uuid LIMIT 1`,
      [emails, exceptId],
    );
    return rows[0] ?? null;
  }

  /**
   * Which of `ids` (distinct uuids) are live people within the scope, with their rights, share-locked for the caller's transaction (after
   * the group's lock, like a SCIM PATCH): they can be neither removed nor moved out of the scope before it commits.
   */
  async lockLiveWithin(
    m: EntityManager,
    ids: string[],
    scope: readonly string[] | null,
  ): Promise<Map<string, { id: string; account: RightsAccount }>> {
    const scoped = scope === null ? "" : "AND u.entity_id = ANY($2::uuid[])";
    const rows = await sql<{ id: string } & RightsAccount>(
      m,
      `SELECT u.id, u.entity_id AS "entityId", u.system_role AS "systemRole", u.admin_scope AS "adminScope"
       FROM users u WHERE u.id = ANY($1::uuid[]) AND ${liveUser("u")} ${scoped} ORDER BY u.id FOR SHARE`,
      scope === null ? [ids] : [ids, scope],
    );
    return new Map(rows.map(({ id, ...account }) => [id, { id, account }]));
  }

  /** The id of the live user with this userName (case-insensitive), if any. */
  async liveIdByUserName(m: EntityManager, userName: string): Promise<string | null> {
    const rows = await sql<{ id: string }>(
      m,
      `SELECT id FROM users WHERE lower(user_name) = lower($1) AND ${liveUser()}`,
      [userName],
    );
    return rows[0]?.id ?? null;
  }

  /** IdP removal: deactivated and hidden from SCIM, data kept. */
  markRemoved(id: string, version: number): Statement {
    return {
      text: `UPDATE users SET active = false, removed_at = clock_timestamp(), updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND ${liveUser()} AND version = $2 RETURNING ${RETURNING}`,
      values: [id, version],
    };
  }

  /** Records that an invitation was asked for (lifecycle only: the SCIM version and lastModified do not move). */
  markInvited(id: string, at: Date): Statement {
    return {
      text: `UPDATE users SET invited_at = $2 WHERE id = $1 AND ${liveUser()} RETURNING ${RETURNING}`,
      values: [id, at],
    };
  }

  /** Filters, sorts and pages in PostgreSQL; counts only when the page does not already tell the total. */
  async list(m: EntityManager, q: ListQuery): Promise<{ total: number; users: User[] }> {
    const params = [...(q.where?.params ?? [])];
    const where = `${liveUser("u")}${q.where ? ` AND (${q.where.sql})` : ""}`;
    const dir = q.descending ? "DESC" : "ASC";
    const order = `${q.orderBy ? `${q.orderBy} ${dir} NULLS LAST, ` : ""}u.created_at ${dir}, u.id ${dir}`;
    let users: User[] = [];
    if (q.limit > 0) {
      // Deferred join: OFFSET walks ids only (an index-only scan when the order is creation time),
      // and full rows are fetched by primary key for the page alone, so a deep page costs about what the first one does.
      const rows = await sql<UserRow>(
        m,
        `SELECT ${SELECT} FROM users u WHERE u.id = ANY(ARRAY(
           SELECT u.id FROM users u WHERE ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}))
         ORDER BY ${order}`,
        [...params, q.limit, q.offset],
      );
      users = rows.map(toUser);
    }
    if (users.length > 0 && users.length < q.limit) return { total: q.offset + users.length, users };
    const [{ count }] = await sql<{ count: number }>(
      m,
      `SELECT count(*)::int AS count FROM users u WHERE ${where}`,
      params,
    );
    return { total: count, users };
  }

  /**
   * A keyset page (RFC 9865 cursors): `limit` live users after or before a position, the ids walked on an index
   * (users_live_created_at_id_idx without sortBy) from the position on, so a deep page costs what the first one does.
   */
  async page(m: EntityManager, q: ListQuery, keyset: Keyset): Promise<KeysetPage<User>> {
    const params = [...(q.where?.params ?? [])];
    const k = keysetSql(
      { sort: q.orderBy, createdAt: "u.created_at", id: "u.id" },
      q.descending ?? false,
      keyset,
      params.length + 1,
    );
    const where = `${liveUser("u")}${q.where ? ` AND (${q.where.sql})` : ""} AND ${k.where}`;
    const keys = `u.created_at::text AS "keyAt"${q.orderBy ? `, (${q.orderBy})::text AS "keySort"` : ""}`;
    const rows = await readKeysetPage(keyset, () =>
      sql<UserRow & { keyAt: string; keySort?: string | null }>(
        m,
        `SELECT ${SELECT}, ${keys} FROM users u WHERE u.id = ANY(ARRAY(
         SELECT u.id FROM users u WHERE ${where} ORDER BY ${k.order} LIMIT $${params.length + k.params.length + 1}))
       ORDER BY ${k.order}`,
        [...params, ...k.params, q.limit + 1],
      ),
    );
    const page = keysetPage(rows, q.limit, k.reversed, (r) => ({
      sort: q.orderBy ? (r.keySort ?? null) : undefined,
      createdAt: r.keyAt,
      id: r.id,
    }));
    return { ...page, rows: page.rows.map(toUser) };
  }
}

const accountValues = (a: UserAccount): unknown[] => [a.entityId, a.systemRole, a.adminScope, a.external];

function profileValues(p: UserProfile): unknown[] {
  const row: Partial<Record<keyof UserRow, unknown>> = {
    userName: p.userName,
    externalId: p.externalId,
    nameFormatted: p.name.formatted,
    givenName: p.name.givenName,
    familyName: p.name.familyName,
    middleName: p.name.middleName,
    honorificPrefix: p.name.honorificPrefix,
    honorificSuffix: p.name.honorificSuffix,
    displayName: p.displayName,
    nickName: p.nickName,
    profileUrl: p.profileUrl,
    title: p.title,
    userType: p.userType,
    preferredLanguage: p.preferredLanguage,
    locale: p.locale,
    timezone: p.timezone,
    active: p.active,
    // pg would send JS arrays as PostgreSQL arrays: jsonb goes as JSON text.
    emails: JSON.stringify(p.emails),
    phoneNumbers: JSON.stringify(p.phoneNumbers),
    extras: JSON.stringify(p.extras),
    ...p.enterprise,
  };
  return PROFILE_COLUMNS.map(([prop]) => row[prop] ?? null);
}

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    userName: r.userName,
    externalId: r.externalId,
    name: {
      formatted: r.nameFormatted,
      givenName: r.givenName,
      familyName: r.familyName,
      middleName: r.middleName,
      honorificPrefix: r.honorificPrefix,
      honorificSuffix: r.honorificSuffix,
    },
    displayName: r.displayName,
    nickName: r.nickName,
    profileUrl: r.profileUrl,
    title: r.title,
    userType: r.userType,
    preferredLanguage: r.preferredLanguage,
    locale: r.locale,
    timezone: r.timezone,
    active: r.active,
    emails: r.emails,
    phoneNumbers: r.phoneNumbers,
    extras: r.extras,
    enterprise: {
      employeeNumber: r.employeeNumber,
      costCenter: r.costCenter,
      organization: r.organization,
      division: r.division,
      department: r.department,
      managerId: r.managerId,
    },
    account: { entityId: r.entityId, systemRole: r.systemRole, adminScope: r.adminScope, external: r.external },
    lifecycle: { invitedAt: r.invitedAt, enrolledAt: r.enrolledAt, lastLoginAt: r.lastLoginAt },
    source: r.source as UserSource,
    sourceRef: r.sourceRef,
    removedAt: r.removedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    groups: r.groups ?? [],
  };
}

/** The profile part of a user (what doors may change). */
export const profileOf = (u: User): UserProfile => pickProfile(u);
