import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { liveUser } from "./users.fragments";

/** What signing in needs of a live, active person: never returned by any door. */
export interface Credentials {
  id: string;
  userName: string;
  emails: string[];
  passwordHash: string | null;
  mustChange: boolean;
  enrolledAt: Date | null;
  lastLoginAt: Date | null;
  /** Deactivated people are found too, so that sign-in can tell them so once their password is right. */
  active: boolean;
  /** How the login matched: the userName (preferred) or an email address. */
  matchedBy: "userName" | "email";
}

const COLUMNS = `u.id, u.user_name AS "userName", roster_lower_values(u.emails) AS emails, u.password_hash AS "passwordHash",
  u.password_must_change AS "mustChange", u.enrolled_at AS "enrolledAt", u.last_login_at AS "lastLoginAt", u.active`;

/** SQL over the password columns of `users` (password_hash, password_must_change) and the sign-in lifecycle times. */
export class CredentialsRepository {
  /**
   * The live person a login names (active or not: see `active`): userName first (case-insensitive, its unique index),
   * else an email address (its GIN index). An address several active people share names no one: IdPs may send shared
   * addresses, and signing in must not pick one of them at random; an address an active person shares only with
   * deactivated ones names the active person.
   */
  async findByLogin(m: EntityManager, login: string): Promise<Credentials | null> {
    const rows = await sql<Credentials>(
      m,
      `
      (SELECT ${COLUMNS}, 'userName' AS "matchedBy" FROM users u
        WHERE lower(u.user_name) = lower($1) AND ${liveUser("u")})
      UNION ALL
      (SELECT ${COLUMNS}, 'email' AS "matchedBy" FROM users u
        WHERE roster_lower_values(u.emails) && ARRAY[lower($1)] AND ${liveUser("u")} ORDER BY u.active DESC LIMIT 2)`,
      [login],
    );
    const byName = rows.find((r) => r.matchedBy === "userName");
    if (byName) return byName;
    if (rows.length === 2 && rows[0].active && !rows[1].active) return rows[0];
    return rows.length === 1 ? rows[0] : null;
  }

  /**
   * Enrolment through an invitation link: the password set, the person joined; with `names`, the names the person gave
   * (someone created without names: a pasted address, an import), and the formatted and display names made of them.
   */
  enrol(id: string, passwordHash: string, at: Date, names?: { givenName: string; familyName: string }): Statement {
    if (!names) {
      return {
        text: `UPDATE users SET password_hash = $2, password_must_change = false, enrolled_at = $3
               WHERE id = $1 AND ${liveUser()} AND active RETURNING id`,
        values: [id, passwordHash, at],
      };
    }
    const full = `${names.givenName} ${names.familyName}`;
    return {
      text: `UPDATE users SET password_hash = $2, password_must_change = false, enrolled_at = $3, given_name = $4,
               family_name = $5, name_formatted = $6, display_name = COALESCE(display_name, $6), version = version + 1
             WHERE id = $1 AND ${liveUser()} AND active RETURNING id`,
      values: [id, passwordHash, at, names.givenName, names.familyName, full],
    };
  }

  /**
   * A new password set with a one-time set-password link by someone who joined already (decision 0143): enrolled_at
   * stays the day they joined.
   */
  setWithLink(id: string, passwordHash: string): Statement {
    return {
      text: `UPDATE users SET password_hash = $2, password_must_change = false
             WHERE id = $1 AND enrolled_at IS NOT NULL AND ${liveUser()} AND active RETURNING id`,
      values: [id, passwordHash],
    };
  }

  /**
   * A password change, only if the password is still the one just verified (`verifiedHash`): a concurrent change or
   * reset makes it write nothing. Clears the one-time flag; the first change of a one-time password is joining.
   */
  change(id: string, verifiedHash: string, passwordHash: string, at: Date): Statement {
    return {
      text: `UPDATE users SET password_hash = $3, password_must_change = false, enrolled_at = COALESCE(enrolled_at, $4)
             WHERE id = $1 AND password_hash = $2 AND ${liveUser()} AND active RETURNING id`,
      values: [id, verifiedHash, passwordHash, at],
    };
  }

  /** A password an admin gave (or had generated), to be changed at first sign-in. */
  setOneTime(id: string, passwordHash: string): Statement {
    return {
      text: `UPDATE users SET password_hash = $2, password_must_change = true WHERE id = $1 AND ${liveUser()} AND active RETURNING id`,
      values: [id, passwordHash],
    };
  }

  /** A successful sign-in, with the password just verified (else nothing is written). */
  signedIn(id: string, verifiedHash: string, at: Date): Statement {
    return {
      text: `UPDATE users SET last_login_at = $3
             WHERE id = $1 AND password_hash = $2 AND NOT password_must_change AND ${liveUser()} AND active RETURNING id`,
      values: [id, verifiedHash, at],
    };
  }

  async mustChange(m: EntityManager, id: string): Promise<boolean> {
    const rows = await sql<{ mustChange: boolean }>(
      m,
      `SELECT password_must_change AS "mustChange" FROM users WHERE id = $1`,
      [id],
    );
    return rows[0]?.mustChange ?? false;
  }
}
