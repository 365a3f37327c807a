import type { Request, Response } from "express";
import type { Actor, Ctx, Door } from "../../domain/context";

/** Set by the auth middleware of each door. */
export interface AuthLocals {
  actor: Actor;
  scope: string;
  /** Which kind of bearer credential authenticated the request (bearer-auth.ts): a Roster token, or a JWT. */
  credential?: "token" | "jwt";
}

/** The domain context of a request: who, through which door, which request id. */
export function ctxOf(req: Request, res: Response, door: Door): Ctx {
  const auth = res.locals.auth as AuthLocals | undefined;
  return {
    actor: auth?.actor ?? { type: "system", id: null, name: null },
    door,
    requestId: String(req.id ?? "") || null,
  };
}
