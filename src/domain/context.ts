import type { EntityManager } from "typeorm";

export type Door = "scim" | "admin" | "auth" | "system" | "cli" | "import" | "console";

export interface Actor {
  type: "token" | "user" | "system";
  id: string | null;
  name: string | null;
}

/** Who is acting, through which door, for which request. Every use case takes one. */
export interface Ctx {
  actor: Actor;
  door: Door;
  requestId: string | null;
  /**
   * Entities (sub-entities already included) the actor may see and change users of; absent or null = all.
   * Set by the admin door for an admin limited to part of the organisation; services enforce it.
   */
  entityScope?: readonly string[] | null;
  /** The admin door's role of the actor (absent = admin: other doors and the system act for the whole organisation). */
  role?: "admin" | "auditor";
}

/** A Ctx inside an open transaction: repositories use `manager`. */
export interface TxCtx extends Ctx {
  manager: EntityManager;
}

export const systemActor: Actor = { type: "system", id: null, name: "roster" };
