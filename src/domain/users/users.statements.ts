// The write statements of `users` (insert, update, restore, removal, invitation stamp), run by the unit of work.
import type { Statement } from "../effects";
import { type UserAccount, type UserProfile, type UserSource, defaultAccount } from "./user";
import { P, RETURNING, SET_PROFILE, JSONB, PROFILE_COLUMNS, accountValues, profileValues } from "./user-rows";
import { liveUser, removedUser } from "./users.fragments";

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
}
