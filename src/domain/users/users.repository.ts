import { EntityManager } from "typeorm";
import { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { UserRow } from "../../db/entities/user.entity";
import { User, UserProfile, UserSource } from "./user";

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

/** Data access for `users`; no rules here, only rows. */
export class UsersRepository {
  /** Every column but the password hash, aliased to UserRow's property names. */
  private readonly columns: string;
  private readonly returning: string;

  constructor(manager: EntityManager) {
    const cols = manager.connection.getMetadata(UserRow).columns.filter((c) => c.propertyName !== "passwordHash");
    this.columns = cols.map((c) => `u.${c.databaseName} AS "${c.propertyName}"`).join(", ");
    this.returning = cols.map((c) => `${c.databaseName} AS "${c.propertyName}"`).join(", ");
  }

  async lockById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows: UserRow[] = await m.query(`SELECT ${this.columns} FROM users u WHERE u.id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async lockByUserName(m: EntityManager, userName: string): Promise<User | null> {
    const rows: UserRow[] = await m.query(`SELECT ${this.columns} FROM users u WHERE lower(u.user_name) = lower($1) FOR UPDATE`, [userName]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findLiveById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows: UserRow[] = await m.query(`SELECT ${this.columns} FROM users u WHERE u.id = $1 AND u.removed_at IS NULL`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** Inserts unless the userName exists (any casing); null means it lost that race. */
  async insertIfAbsent(m: EntityManager, p: UserProfile, source: UserSource, sourceRef: string | null, passwordHash: string | null): Promise<User | null> {
    const result = await m.createQueryBuilder().insert().into(UserRow)
      .values({ ...toRow(p), source, sourceRef, passwordHash } as QueryDeepPartialEntity<UserRow>)
      .orIgnore()
      .returning(this.returning)
      .execute();
    const row = result.raw[0] as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async update(m: EntityManager, id: string, p: UserProfile, extra: Partial<UserRow> = {}): Promise<User> {
    const result = await m.createQueryBuilder().update(UserRow)
      .set({ ...toRow(p), ...extra, updatedAt: () => "clock_timestamp()", version: () => "version + 1" } as QueryDeepPartialEntity<UserRow>)
      .where("id = :id", { id })
      .returning(this.returning)
      .execute();
    return toUser(result.raw[0] as UserRow);
  }

  /** Filters, sorts and pages in PostgreSQL; counts only when the page does not already tell the total. */
  async list(m: EntityManager, q: ListQuery): Promise<{ total: number; users: User[] }> {
    const params = [...(q.where?.params ?? [])];
    const where = `u.removed_at IS NULL${q.where ? ` AND (${q.where.sql})` : ""}`;
    const dir = q.descending ? "DESC" : "ASC";
    const order = `${q.orderBy ? `${q.orderBy} ${dir} NULLS LAST, ` : ""}u.created_at ${dir}, u.id ${dir}`;
    let users: User[] = [];
    if (q.limit > 0) {
      const rows: UserRow[] = await m.query(
        `SELECT ${this.columns} FROM users u WHERE ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, q.limit, q.offset],
      );
      users = rows.map(toUser);
    }
    if (users.length > 0 && users.length < q.limit) return { total: q.offset + users.length, users };
    const [{ count }] = await m.query(`SELECT count(*)::int AS count FROM users u WHERE ${where}`, params);
    return { total: count, users };
  }
}

function toRow(p: UserProfile): Partial<UserRow> {
  return {
    userName: p.userName, externalId: p.externalId,
    nameFormatted: p.name.formatted, givenName: p.name.givenName, familyName: p.name.familyName,
    middleName: p.name.middleName, honorificPrefix: p.name.honorificPrefix, honorificSuffix: p.name.honorificSuffix,
    displayName: p.displayName, nickName: p.nickName, profileUrl: p.profileUrl, title: p.title, userType: p.userType,
    preferredLanguage: p.preferredLanguage, locale: p.locale, timezone: p.timezone, active: p.active,
    emails: p.emails, phoneNumbers: p.phoneNumbers, extras: p.extras,
    ...p.enterprise,
  };
}

function toUser(r: UserRow): User {
  return {
    id: r.id, userName: r.userName, externalId: r.externalId,
    name: { formatted: r.nameFormatted, givenName: r.givenName, familyName: r.familyName, middleName: r.middleName, honorificPrefix: r.honorificPrefix, honorificSuffix: r.honorificSuffix },
    displayName: r.displayName, nickName: r.nickName, profileUrl: r.profileUrl, title: r.title, userType: r.userType,
    preferredLanguage: r.preferredLanguage, locale: r.locale, timezone: r.timezone, active: r.active,
    emails: r.emails, phoneNumbers: r.phoneNumbers, extras: r.extras,
    enterprise: { employeeNumber: r.employeeNumber, costCenter: r.costCenter, organization: r.organization, division: r.division, department: r.department, managerId: r.managerId },
    source: r.source as UserSource, sourceRef: r.sourceRef, removedAt: r.removedAt,
    createdAt: r.createdAt, updatedAt: r.updatedAt, version: r.version,
  };
}

/** The profile part of a user (what doors may change). */
export function profileOf(u: User): UserProfile {
  const { id: _i, source: _s, sourceRef: _r, removedAt: _d, createdAt: _c, updatedAt: _u, version: _v, ...profile } = u;
  return profile;
}
