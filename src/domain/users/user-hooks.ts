import type { EntityManager } from "typeorm";
import type { TxCtx } from "../context";
import type { FieldOwnership } from "./field-ownership";
import type { InviteOptions, User, UserSource } from "./user";

/**
 * What higher layers do inside a user write's transaction, handed to UsersService by the composition root
 * (src/composition.ts): users/ imports none of them.
 */
export interface UserHooks {
  /** Asks for a person's invitation (invitations/); a RefusedError when they cannot be invited. */
  inviteIn(tx: TxCtx, user: User, opts: InviteOptions): Promise<unknown>;
  /** Whether people created from `source` are invited with their creation (the communication setting). */
  invitesAutomatically(source: UserSource, m?: EntityManager): boolean | Promise<boolean>;
  /**
   * A SCIM DELETE: `lockIn` runs before the user row is locked (groups/ locks the user's groups: groups, then users,
   * the order every group write keeps), `removedIn` after the user is marked removed (it leaves every group).
   */
  removal: { lockIn(tx: TxCtx, userId: string): Promise<void>; removedIn(tx: TxCtx, userId: string): Promise<void> };
  /**
   * The IdP creating a removed account's userName again: `lockIn` takes the groups it left before the user row is
   * locked (the same order), `rejoinIn` makes it a member again of those that still exist.
   */
  restore: {
    lockIn(tx: TxCtx, groupIds: string[]): Promise<void>;
    rejoinIn(tx: TxCtx, userId: string, groupIds: string[]): Promise<void>;
  };
  /** Who owns each profile field both the IdP and admins write (settings/, cached there); read on each IdP push. */
  fieldOwnership(m?: EntityManager): Promise<FieldOwnership>;
}
