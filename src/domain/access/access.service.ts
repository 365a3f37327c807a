import type { DataSource } from "typeorm";
import { sql } from "../../db/sql";
import { withDb } from "../unit-of-work";
import { entitySubtreeSql } from "../entities/entities.fragments";
import type { SystemRole } from "../users/user";
import { liveLogin, rightsPerson } from "../users/users.fragments";

/** What a person may do in the admin door, read fresh at each request so a change of role or scope bites at once. */
export interface PersonRights {
  userId: string;
  userName: string;
  role: SystemRole;
  /** Entity ids with every sub-entity included, or null when the person is not limited to part of the organisation. */
  entityScope: string[] | null;
  /** false when the account is deactivated or removed: it has no rights at all. */
  enabled: boolean;
}

interface RightsRow {
  userId: string;
  userName: string;
  role: SystemRole;
  enabled: boolean;
  scope: string[];
  closure: string[] | null;
}

const RIGHTS = (match: string) => `
  WITH RECURSIVE p AS (${rightsPerson(match)}),
  s AS (${entitySubtreeSql("s", "e.id = ANY(p.admin_scope)", "p")})
  SELECT p.id AS "userId", p.user_name AS "userName", p.system_role AS role, p.enabled, p.admin_scope AS scope,
         (SELECT array_agg(id) FROM s) AS closure
  FROM p`;

/** Admin roles and scopes of people (users.system_role, users.admin_scope over the entities tree). */
export class AccessService {
  constructor(private readonly ds: DataSource) {}

  async rightsOf(userId: string): Promise<PersonRights | null> {
    const rows = await withDb(() => sql<RightsRow>(this.ds.manager, RIGHTS("u.id = $1::uuid"), [userId]));
    return rows[0] ? toRights(rows[0]) : null;
  }

  /** The person signing in with `login`: their userName, else their email (case-insensitive). */
  async rightsOfLogin(login: string): Promise<PersonRights | null> {
    const rows = await withDb(() => sql<RightsRow>(this.ds.manager, RIGHTS(liveLogin("$1")), [login]));
    return rows[0] ? toRights(rows[0]) : null;
  }
}

function toRights(r: RightsRow): PersonRights {
  // A scope naming only entities that no longer exist leaves nothing in reach, never everything.
  const entityScope = r.scope.length === 0 ? null : (r.closure ?? []);
  return { userId: r.userId, userName: r.userName, role: r.role, entityScope, enabled: r.enabled };
}
