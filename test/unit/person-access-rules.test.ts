import type { Ctx } from "../../src/domain/context";
import { NotFoundError, RefusedError } from "../../src/domain/errors";
import {
  type AccessActor,
  type AccessTarget,
  actorOf,
  assertMayWrite,
  may,
  outranks,
  type PersonAction,
} from "../../src/domain/users/person-access.rules";
import type { SystemRole } from "../../src/domain/users/user";

const wide: AccessActor = { userId: "w", role: "admin", scope: null };
const scoped: AccessActor = { userId: "s", role: "admin", scope: ["france", "lyon"] };
const auditor: AccessActor = { userId: "a", role: "auditor", scope: null };
const person = (
  id: string,
  entityId: string | null,
  systemRole: SystemRole = "member",
  adminScope: string[] = [],
): AccessTarget => ({ id, account: { entityId, systemRole, adminScope } });

const member = person("m", "lyon");
const outside = person("o", "spain");
const nowhere = person("n", null);
const wider = person("x", "lyon", "admin");
const peer = person("p", "lyon", "admin", ["lyon"]);
const peerAuditor = person("q", "lyon", "auditor", ["lyon"]);
const selfScoped = person("s", "france", "admin", ["france"]);

const answer = (actor: AccessActor, action: PersonAction, target: AccessTarget) => {
  const d = may(actor, action, target);
  return d.allowed ? "ok" : d.refusal;
};

describe("may: the one decision of who acts on a person", () => {
  it.each([
    // actor, target, [read, change, rights, login, credentials, invite, memberships]
    ["wide", wide, member, "ok ok ok ok ok ok ok"],
    ["wide", wide, wider, "ok ok ok ok ok ok ok"],
    ["scoped", scoped, member, "ok ok ok ok ok ok ok"],
    ["scoped", scoped, outside, "not_found not_found not_found not_found not_found not_found not_found"],
    ["scoped", scoped, nowhere, "not_found not_found not_found not_found not_found not_found not_found"],
    ["scoped", scoped, wider, "ok out_of_scope out_of_scope out_of_scope out_of_scope out_of_scope out_of_scope"],
    ["scoped", scoped, peer, "ok ok ok out_of_scope out_of_scope out_of_scope ok"],
    ["scoped", scoped, peerAuditor, "ok ok ok out_of_scope out_of_scope out_of_scope ok"],
    ["scoped", scoped, selfScoped, "ok ok out_of_scope out_of_scope out_of_scope out_of_scope ok"],
    ["auditor", auditor, member, "ok out_of_scope out_of_scope out_of_scope out_of_scope out_of_scope out_of_scope"],
  ] as const)("%s on %#", (_name, actor, target, expected) => {
    const actions: PersonAction[] = ["read", "change", "rights", "login", "credentials", "invite", "memberships"];
    expect(actions.map((a) => answer(actor, a, target)).join(" ")).toBe(expected);
  });

  it("ranks roles admin > auditor > member, and a wider admin scope outranks a narrower one", () => {
    expect(outranks({ role: "auditor", scope: null }, wider.account)).toBe(true);
    expect(outranks({ role: "admin", scope: ["lyon"] }, person("y", "lyon", "auditor", ["france"]).account)).toBe(true);
    expect(outranks({ role: "admin", scope: ["france", "lyon"] }, peer.account)).toBe(false);
    expect(outranks({ role: "admin", scope: null }, wider.account)).toBe(false);
  });

  it("reads the actor from the context: other doors act for the whole organisation", () => {
    const ctx = (c: Partial<Ctx>): Ctx => ({
      actor: { type: "user", id: "u", name: "u" },
      door: "admin",
      requestId: null,
      ...c,
    });
    expect(actorOf(ctx({ entityScope: ["lyon"], role: "auditor" }))).toEqual({
      userId: "u",
      role: "auditor",
      scope: ["lyon"],
    });
    expect(actorOf(ctx({ actor: { type: "token", id: "t", name: "idp" }, door: "scim" }))).toEqual({
      userId: null,
      role: "admin",
      scope: null,
    });
  });
});

describe("assertMayWrite: what a write touches, refused with the field it names", () => {
  const ctx: Ctx = {
    actor: { type: "user", id: "s", name: "s" },
    door: "admin",
    requestId: null,
    entityScope: ["france", "lyon"],
    role: "admin",
  };
  const peerUser = { ...peer, userName: "peer.one", emails: [{ value: "Peer@corp.test" }], phoneNumbers: [] };
  const field = (after: Parameters<typeof assertMayWrite>[2]) => {
    try {
      assertMayWrite(ctx, peerUser, after);
      return "ok";
    } catch (e) {
      if (e instanceof RefusedError) return `${e.code}:${e.field}`;
      if (e instanceof NotFoundError) return "not_found";
      throw e;
    }
  };
  const same = {
    profile: { userName: "peer.one", emails: [{ value: "peer@corp.test" }], phoneNumbers: [] },
    account: peer.account,
  };

  it("lets the names of a peer admin change, not where they sign in or are reached", () => {
    expect(field(same)).toBe("ok"); // the same address in other case is no change
    expect(field({ ...same, profile: { ...same.profile, emails: [{ value: "evil@x.test" }] } })).toBe(
      "out_of_scope:email",
    );
    expect(field({ ...same, profile: { ...same.profile, userName: "evil" } })).toBe("out_of_scope:userName");
    expect(field({ ...same, profile: { ...same.profile, phoneNumbers: [{ value: "+33600000000" }] } })).toBe(
      "out_of_scope:phoneNumbers",
    );
    expect(field({ ...same, password: true })).toBe("out_of_scope:password");
  });
});
