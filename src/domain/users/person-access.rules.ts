import type { Ctx } from "../context";
import { NotFoundError, RefusedError } from "../errors";
import { reaches } from "../scope";
import type { MultiValue, SystemRole, UserAccount, UserProfile } from "./user";

/**
 * The one decision of who may act on a person through the admin door (single routes, mass actions and their jobs all
 * ask it). Pure: the caller reads the actor and the target, this says yes or why not.
 */

/** What an actor does to a person. `login` is the email or userName; `credentials` a password or one-time password. */
export type PersonAction = "read" | "change" | "rights" | "login" | "credentials" | "invite" | "memberships";

export interface AccessActor {
  /** The person acting, when the actor is one (a token bound to a person, a company JWT); null for service tokens. */
  userId: string | null;
  role: "admin" | "auditor";
  /** Entities (sub-entities included) the actor is limited to; null = the whole organisation. */
  scope: readonly string[] | null;
}

export interface AccessTarget {
  id: string;
  account: Pick<UserAccount, "entityId" | "systemRole" | "adminScope">;
}

/** `not_found`: the person is beyond the actor's reach and must stay invisible; `out_of_scope`: visible, not theirs to change. */
export type AccessDecision =
  | { allowed: true }
  | { allowed: false; refusal: "not_found" | "out_of_scope"; reason: string };

const RANK: Record<SystemRole, number> = { member: 0, auditor: 1, admin: 2 };
/** Taking over an account goes through these: an admin's or auditor's are changed by an organisation-wide admin only. */
const TAKEOVER: ReadonlySet<PersonAction> = new Set(["login", "credentials", "invite"]);

const ALLOWED: AccessDecision = { allowed: true };
const refuse = (reason: string): AccessDecision => ({ allowed: false, refusal: "out_of_scope", reason });

export function may(actor: AccessActor, action: PersonAction, target: AccessTarget): AccessDecision {
  if (!reaches(actor.scope, target.account.entityId))
    return { allowed: false, refusal: "not_found", reason: "outside your admin scope" };
  if (action === "read") return ALLOWED;
  if (actor.role !== "admin") return refuse("auditors have read-only access");
  const self = actor.userId !== null && actor.userId === target.id;
  if (self && actor.scope !== null && (action === "rights" || TAKEOVER.has(action))) {
    return refuse(
      "an admin limited to some entities changes only their own names: an organisation-wide admin changes the rest",
    );
  }
  if (outranks(actor, target.account)) return refuse("this person's admin rights reach beyond your own");
  if (TAKEOVER.has(action) && actor.scope !== null && target.account.systemRole !== "member") {
    return refuse(
      "only an organisation-wide admin changes the email, userName, password or invitation of an admin or auditor",
    );
  }
  return ALLOWED;
}

/** Whether `who` holds a right the actor lacks: a higher role, or admin rights reaching beyond the actor's scope. */
export function outranks(
  actor: Pick<AccessActor, "role" | "scope">,
  who: Pick<UserAccount, "systemRole" | "adminScope">,
): boolean {
  if (RANK[who.systemRole] > RANK[actor.role]) return true;
  if (actor.scope === null || who.systemRole === "member") return false;
  return who.adminScope.length === 0 || who.adminScope.some((id) => !actor.scope!.includes(id));
}

/** The actor of a use case. Doors other than admin (SCIM, the CLI, the system) act for the whole organisation. */
export function actorOf(ctx: Ctx): AccessActor {
  return {
    userId: ctx.actor.type === "user" ? ctx.actor.id : null,
    role: ctx.role ?? "admin",
    scope: Array.isArray(ctx.entityScope) ? ctx.entityScope : null,
  };
}

/**
 * Whether `may` allows the actor every action on every person (an organisation-wide admin, as the SCIM door acts):
 * then a write needs no look at its target's rights before it is made (UserUpdates.switchAlone).
 */
export function reachesEveryone(ctx: Ctx): boolean {
  const actor = actorOf(ctx);
  return actor.role === "admin" && actor.scope === null && actor.userId === null;
}

/** `may` for a use case: NotFoundError when the person must stay invisible, else 403 `out_of_scope` naming `field`. */
export function assertMay(ctx: Ctx, action: PersonAction, target: AccessTarget, field = "id"): void {
  const d = may(actorOf(ctx), action, target);
  if (d.allowed) return;
  if (d.refusal === "not_found") throw new NotFoundError("User", target.id);
  throw new RefusedError("out_of_scope", "forbidden", d.reason, field);
}

/** A person's state as a write finds it and as it leaves it (`password` when the write sets one). */
export interface PersonWrite {
  profile: Pick<UserProfile, "userName" | "emails" | "phoneNumbers">;
  account: Pick<UserAccount, "entityId" | "systemRole" | "adminScope">;
  password?: boolean;
}

const contacts = (values: MultiValue[]) =>
  [
    ...new Set(
      values.map((v) =>
        String(v.value ?? "")
          .trim()
          .toLowerCase(),
      ),
    ),
  ]
    .sort()
    .join();

/**
 * What a write of `target` touches beyond `change`, each with the field a refusal names: the sign-in and contact
 * details (where an invitation or a reset goes), the password, the rights. The first refused aspect is thrown.
 */
export function assertMayWrite(ctx: Ctx, target: AccessTarget & PersonWrite["profile"], after: PersonWrite): void {
  const b = target.account,
    a = after.account;
  const aspects: [PersonAction, string, boolean][] = [
    ["rights", "role", a.systemRole !== b.systemRole],
    ["rights", "adminScope", [...a.adminScope].sort().join() !== [...b.adminScope].sort().join()],
    ["rights", "entityId", a.entityId !== b.entityId],
    ["login", "userName", after.profile.userName !== target.userName],
    ["login", "email", contacts(after.profile.emails) !== contacts(target.emails)],
    ["login", "phoneNumbers", contacts(after.profile.phoneNumbers) !== contacts(target.phoneNumbers)],
    ["credentials", "password", after.password === true],
  ];
  for (const [action, field, touched] of aspects) if (touched) assertMay(ctx, action, target, field);
}
