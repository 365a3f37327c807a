import { randomUUID } from "node:crypto";
import { Browser } from "../support/browser";
import type { IdpAccount } from "../support/company-idp";
import { ssoFlows } from "../support/sso-flows";
import { type SsoHarness, startSsoHarness } from "../support/sso-harness";
import { EntitiesRepository } from "../../src/domain/entities/entities.repository";
import { SsoAccounts } from "../../src/domain/sso/sso-accounts";
import { UsersRepository } from "../../src/domain/users/users.repository";

let h: SsoHarness;
beforeAll(async () => {
  h = await startSsoHarness();
});
afterAll(() => h.close());

const { account, signIn, links, refusals } = ssoFlows(() => h);

describe("company SSO: just-in-time creation", () => {
  it("creates the person by the connection's rules (audited, door auth, user.created queued), then signs them in", async () => {
    const [entity] = await h.t.ds.query(
      "INSERT INTO entities (name, external_key) VALUES ('Sales', 'SALES') RETURNING id",
    );
    const conn = await h.connect({
      jit: {
        enabled: true,
        allowedDomains: ["corp.example"],
        requiredClaims: { dept: "sales" },
        defaultRole: "member",
        defaultLanguage: "fr",
      },
      claimMapping: { entity: "dept" },
    });
    const who = account({ dept: "sales", locale: null });
    const res = await signIn(conn, { ...who, dept: "SALES", groups: [], dept_required: "x" });
    // dept must equal "sales" exactly: "SALES" is not the required value
    expect(res.code).toBe("claim_missing");
    const ok = await signIn(conn, { ...who, dept: "sales" });
    expect(ok.signedInAs).not.toBeNull();
    const [u] = await h.t.ds.query(
      "SELECT user_name, source, given_name, preferred_language, entity_id, system_role, enrolled_at FROM users WHERE id = $1",
      [ok.signedInAs],
    );
    expect(u).toMatchObject({
      user_name: who.email,
      source: "jit",
      given_name: "Grace",
      preferred_language: "fr",
      system_role: "member",
    });
    expect(u.enrolled_at).not.toBeNull();
    // the mapped claim names the entity (by externalKey, else by name: "sales" is the entity Sales)
    expect(u.entity_id).toBe(entity.id);
    const [created] = await h.t.ds.query(
      "SELECT door FROM audit_events WHERE action = 'user.created' AND target_id = $1",
      [ok.signedInAs],
    );
    expect(created.door).toBe("auth");
    const [{ n }] = await h.t.ds.query(
      "SELECT count(*)::int AS n FROM events WHERE type = 'user.created' AND subject_id = $1 AND door = 'auth'",
      [ok.signedInAs],
    );
    expect(n).toBe(1);
    // the same person again: found by the link, not created twice
    expect((await signIn(conn, { ...who, dept: "sales" })).signedInAs).toBe(ok.signedInAs);
  });

  it("takes the entity from the mapped claim (an entity's externalKey)", async () => {
    const [entity] = await h.t.ds.query(
      "INSERT INTO entities (name, external_key) VALUES ('Ops', 'OPS-1') RETURNING id",
    );
    const conn = await h.connect({ jit: { enabled: true }, claimMapping: { entity: "dept" } });
    const res = await signIn(conn, account({ dept: "OPS-1" }));
    const [u] = await h.t.ds.query("SELECT entity_id FROM users WHERE id = $1", [res.signedInAs]);
    expect(u.entity_id).toBe(entity.id);
  });

  it.each([
    ["jit_disabled", { jit: { enabled: false } }, {}],
    ["domain_not_allowed", { jit: { enabled: true, allowedDomains: ["corp.example"] } }, { email: "x@other.example" }],
    ["claim_missing", { jit: { enabled: true, requiredClaims: { dept: "sales" } } }, {}],
    ["claim_missing", { jit: { enabled: true } }, { email: undefined }],
    ["group_not_allowed", { jit: { enabled: true }, requiredGroups: ["staff"] }, { groups: ["guests"] }],
    ["email_unverified", { jit: { enabled: true } }, { email_verified: false }],
  ])("refuses with %s, recorded, nobody created", async (code, connection, claims) => {
    const conn = await h.connect(connection);
    const who = account(claims as Partial<IdpAccount>);
    const before = (await h.t.ds.query("SELECT count(*)::int AS n FROM users"))[0].n;
    const res = await signIn(conn, who);
    expect(res.code).toBe(code);
    expect(res.body).toMatch(/id="access-error-reference">[0-9a-f-]{36}</);
    expect((await h.t.ds.query("SELECT count(*)::int AS n FROM users"))[0].n).toBe(before);
    const recorded = await refusals(code);
    expect(recorded.some((r) => r.changes.connectionId === conn && r.changes.method === "sso")).toBe(true);
  });
});

describe("company SSO: the round trip itself", () => {
  it("a callback without the browser's state cookie, or replayed, is login_expired", async () => {
    const conn = await h.connect({ jit: { enabled: true } });
    h.idp.signInAs(account());
    const browser = new Browser();
    const toIdp = (await browser.step(`${h.base}/auth/sso/${conn}/start?interaction=abc`)).location;
    expect(toIdp).toContain(`${h.idp.issuer}/auth?`);
    const idpUrl = new URL(toIdp!);
    expect(idpUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(idpUrl.searchParams.get("nonce")).toBeTruthy();
    // follow the IdP in a second browser that lacks Roster's state cookie
    const other = new Browser();
    const stolen = await other.follow(idpUrl.href);
    expect(stolen.body).toContain("login_expired");
    // the first browser carries the same callback: state taken? no, refused before: it works once, then is spent
    const callback = other.hops.find((x) => x.location?.startsWith(`${h.base}/auth/sso/`))!.location!;
    const first = await browser.follow(callback);
    expect(first.body).toContain('"accountId"');
    const replay = await browser.follow(callback);
    expect(replay.body).toContain("login_expired");
  });

  it("an unknown connection or a missing interaction is refused with a stable code, never a 500", async () => {
    const b = new Browser();
    expect((await b.follow(`${h.base}/auth/sso/${randomUUID()}/start?interaction=abc`)).body).toContain("idp_error");
    expect((await b.follow(`${h.base}/auth/sso/not-a-uuid/start?interaction=abc`)).body).toContain("idp_error");
    const conn = await h.connect();
    const missing = await b.follow(`${h.base}/auth/sso/${conn}/start`);
    expect(missing.status).toBe(400);
    expect(missing.body).toContain("login_expired");
  });
});

describe("company SSO: errors from the IdP and sign-ins at once", () => {
  it("an error the IdP sends back (the person cancelled) is idp_error, recorded", async () => {
    const conn = await h.connect();
    const browser = new Browser();
    const toIdp = await browser.step(`${h.base}/auth/sso/${conn}/start?interaction=xyz`);
    const state = new URL(toIdp.location!).searchParams.get("state")!;
    const back = await browser.follow(
      `${h.base}/auth/sso/${conn}/callback?error=access_denied&error_description=cancelled&state=${state}`,
    );
    expect(back.status).toBe(502);
    expect(back.body).toContain("idp_error");
    expect((await refusals("idp_error")).some((r) => r.changes.connectionId === conn)).toBe(true);
  });

  it("two first sign-ins of one new person at once create one account and one link", async () => {
    const accounts = new SsoAccounts(h.t.ds, h.t.services.users, new UsersRepository(), new EntitiesRepository());
    const id = await h.connect({ jit: { enabled: true } });
    const conn = await h.t.services.ssoConnections.get(id);
    const claims = account();
    const ctx = { actor: { type: "system" as const, id: null, name: "sso" }, door: "auth" as const, requestId: null };
    const refuse = (code: string): never => {
      throw new Error(code);
    };
    const ids = await Promise.all([1, 2, 3].map(() => accounts.resolve(ctx, conn, claims, refuse)));
    expect(new Set(ids).size).toBe(1);
    const [{ n }] = await h.t.ds.query("SELECT count(*)::int AS n FROM users WHERE user_name = $1", [claims.email]);
    expect(n).toBe(1);
    expect(await links(ids[0])).toHaveLength(1);
  });
});
