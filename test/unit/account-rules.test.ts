import type { Ctx } from "../../src/domain/context";
import { InvalidError, RefusedError } from "../../src/domain/errors";
import { outranks } from "../../src/domain/users/person-access.rules";
import { assertAccountChange, normaliseAccount } from "../../src/domain/users/account.rules";
import type { UserAccount } from "../../src/domain/users/user";

const ctx = (entityScope: string[] | null): Ctx => ({
  actor: { type: "user", id: "me", name: "me" },
  door: "admin",
  requestId: null,
  entityScope,
});
const acct = (a: Partial<UserAccount> = {}): UserAccount => ({
  entityId: "lyon",
  systemRole: "member",
  adminScope: [],
  external: false,
  ...a,
});
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof RefusedError || e instanceof InvalidError) return `${e.code}:${e.field}`;
    throw e;
  }
  return "ok";
};

describe("account rules: who may place people and grant rights", () => {
  const france = ctx(["france", "lyon"]);

  it("lets an admin of the whole organisation do anything valid", () => {
    expect(refusal(() => assertAccountChange(ctx(null), null, acct({ entityId: null, systemRole: "admin" })))).toBe(
      "ok",
    );
    expect(refusal(() => assertAccountChange(ctx(null), null, acct({ adminScope: ["x"] })))).toBe("invalid:adminScope");
  });

  it("keeps a limited admin's people inside their entities", () => {
    expect(refusal(() => assertAccountChange(france, null, acct()))).toBe("ok");
    expect(refusal(() => assertAccountChange(france, null, acct({ entityId: null })))).toBe("out_of_scope:entityId");
    expect(refusal(() => assertAccountChange(france, null, acct({ entityId: "spain" })))).toBe("out_of_scope:entityId");
  });

  it("lets a limited admin grant rights only limited to their own scope", () => {
    expect(refusal(() => assertAccountChange(france, null, acct({ systemRole: "admin", adminScope: ["lyon"] })))).toBe(
      "ok",
    );
    expect(refusal(() => assertAccountChange(france, null, acct({ systemRole: "admin" })))).toBe(
      "out_of_scope:adminScope",
    );
    expect(
      refusal(() => assertAccountChange(france, null, acct({ systemRole: "auditor", adminScope: ["spain"] }))),
    ).toBe("out_of_scope:adminScope");
  });

  it("never lets a limited admin change the rights of someone whose rights reach further", () => {
    const boss = acct({ systemRole: "admin" });
    expect(outranks({ role: "admin", scope: ["france", "lyon"] }, boss)).toBe(true);
    expect(
      outranks({ role: "admin", scope: ["france", "lyon"] }, acct({ systemRole: "admin", adminScope: ["lyon"] })),
    ).toBe(false);
    expect(refusal(() => assertAccountChange(france, boss, acct()))).toBe("out_of_scope:role");
    expect(refusal(() => assertAccountChange(france, boss, { ...boss, external: true }))).toBe("ok"); // rights unchanged
  });

  it("compares admin scopes as sets", () => {
    expect(normaliseAccount(acct({ adminScope: ["B", "a", "b"] })).adminScope).toEqual(["a", "b"]);
  });
});

describe("account rules: rights left alone are not judged again", () => {
  it("lets a write that does not touch rights through, even over an odd stored state", () => {
    const odd = acct({ systemRole: "member", adminScope: ["lyon"] });
    expect(refusal(() => assertAccountChange(ctx(null), odd, { ...odd, external: true }))).toBe("ok");
    expect(refusal(() => assertAccountChange(ctx(null), odd, { ...odd, systemRole: "auditor" }))).toBe("ok");
    expect(refusal(() => assertAccountChange(ctx(null), acct(), odd))).toBe("invalid:adminScope");
  });
});
