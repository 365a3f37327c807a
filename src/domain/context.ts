import { EntityManager } from "typeorm";

export type Door = "scim" | "admin" | "auth" | "system" | "cli";

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
}

/** A Ctx inside an open transaction: repositories use `manager`. */
export interface TxCtx extends Ctx {
  manager: EntityManager;
}

export const systemActor: Actor = { type: "system", id: null, name: "roster" };
