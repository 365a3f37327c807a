import { randomUUID } from "node:crypto";
import { EntitiesRepository } from "../../src/domain/entities/entities.repository";
import { SsoAccounts } from "../../src/domain/sso/sso-accounts";
import { UsersRepository } from "../../src/domain/users/users.repository";
import { Browser } from "../support/browser";
import type { IdpAccount } from "../support/company-idp";
import { type SsoHarness, startSsoHarness } from "../support/sso-harness";

let h: SsoHarness;
beforeAll(async () => {
  h = await startSsoHarness();
});
afterAll(() => h.close());

/** A SCIM-provisioned person (the real SCIM door); their id. */
async function provision(email: string, externalId?: string, active = true): Promise<string> {
  const res = await h.t.scim
    .post("/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      externalId,
      active,
      name: { givenName: "Grace", familyName: "Hopper" },
      emails: [{ value: email, type: "work", primary: true }],
    })
    .expect(201);
  return res.body.id;
}

const account = (claims: Partial<IdpAccount> = {}): IdpAccount => ({
  sub: `sub-${randomUUID()}`,
  email: `${randomUUID().slice(0, 8)}@corp.example`,
  email_verified: true,
  given_name: "Grace",
  family_name: "Hopper",
  ...claims,
});

/** A browser pressing the connection's button for a fresh interaction, signed in at the IdP as `who`. */
async function signIn(connectionId: string, who: IdpAccount) {
  h.idp.signInAs(who);
  const browser = new Browser();
  const uid = randomUUID().replaceAll("-", "");
  const end = await browser.follow(`${h.base}/auth/sso/${connectionId}/start?interaction=${uid}`);
  const json = end.body.startsWith("{") ? (JSON.parse(end.body) as { uid: string; accountId: string }) : null;
  const code = /id="access-error-code">([a-z_]+)</.exec(end.body)?.[1] ?? null;
  return { ...end, uid, signedInAs: json?.accountId ?? null, code, browser };
}

const links = async (userId: string) =>
  (await h.t.ds.query("SELECT issuer, subject, linked_by FROM sso_links WHERE user_id = $1", [userId])) as {
    subject: string;
    linked_by: string;
  }[];

const refusals = async (code: string) =>
  (await h.t.ds.query(
    "SELECT door, changes FROM audit_events WHERE action = 'sign_in.refused' AND changes->>'code' = $1",
    [code],
  )) as { door: string; changes: Record<string, unknown> }[];

describe("company SSO: first sign-in links a SCIM-provisioned person", () => {
  it("through the link claim (Entra's oid = the SCIM externalId), even when the email is not verified", async () => {
    const conn = await h.connect({ linkClaim: "oid" });
    const oid = randomUUID();
    const id = await provision(`grace.${oid.slice(0, 6)}@corp.example`, oid);
    const who = account({ oid, email_verified: false, email: "someone.else@corp.example" });
    const res = await signIn(conn, who);
    expect(res.signedInAs).toBe(id);
    expect(await links(id)).toEqual([{ issuer: h.idp.issuer, subject: who.sub, linked_by: "claim" }]);
    // recorded once, by CompleteSignIn: last_login_at and the enrolment of a person never sent to an invitation
    const [u] = await h.t.ds.query("SELECT last_login_at, enrolled_at FROM users WHERE id = $1", [id]);
    expect(u.last_login_at).not.toBeNull();
    expect(u.enrolled_at).not.toBeNull();
    const [{ n }] = await h.t.ds.query("SELECT count(*)::int AS n FROM invitations WHERE user_id = $1", [id]);
    expect(n).toBe(0);
  });

  it("through a verified email, then finds them by (issuer, subject) alone after their email changes", async () => {
    const conn = await h.connect();
    const email = `ada.${randomUUID().slice(0, 6)}@corp.example`;
    const id = await provision(email);
    const who = account({ email });
    expect((await signIn(conn, who)).signedInAs).toBe(id);
    expect((await links(id))[0].linked_by).toBe("email");

    // the IdP now sends another address: the link, not the email, says who this is
    await h.t.scim
      .patch(`/Users/${id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "replace", path: "emails", value: [{ value: "ada.new@corp.example", type: "work", primary: true }] },
        ],
      })
      .expect(200);
    const again = await signIn(conn, { ...who, email: "ada.renamed@elsewhere.example", email_verified: false });
    expect(again.signedInAs).toBe(id);
  });

  it("with trustEmail on the connection, an email without email_verified links", async () => {
    const conn = await h.connect({ trustEmail: true });
    const email = `trust.${randomUUID().slice(0, 6)}@corp.example`;
    const id = await provision(email);
    const res = await signIn(conn, account({ email, email_verified: undefined }));
    expect(res.signedInAs).toBe(id);
  });

  it("an unverified email never links (the nOAuth takeover): email_unverified, recorded, no link", async () => {
    const conn = await h.connect({ jit: { enabled: true } });
    const email = `victim.${randomUUID().slice(0, 6)}@corp.example`;
    const id = await provision(email);
    for (const verified of [false, "true", undefined]) {
      const res = await signIn(conn, account({ email, email_verified: verified }));
      expect(res.status).toBe(403);
      expect(res.code).toBe("email_unverified");
      expect(res.body).toContain("email_unverified");
    }
    expect(await links(id)).toEqual([]);
    const [{ n }] = await h.t.ds.query("SELECT count(*)::int AS n FROM users WHERE lower(user_name) = lower($1)", [
      email,
    ]);
    expect(n).toBe(1);
    const recorded = await refusals("email_unverified");
    expect(recorded.some((r) => r.changes.email === email && r.door === "auth")).toBe(true);
    // support finds them by email and code, with the reference the page showed
    const events = await h.t.admin
      .get(`/sign-in-events?email=${encodeURIComponent(email)}&code=email_unverified`)
      .expect(200);
    expect(events.body.items).toHaveLength(3);
    expect(events.body.items[0]).toMatchObject({ email, outcome: "refused", code: "email_unverified", method: "sso" });
  });

  it("a deactivated person is refused (user_deactivated), at the first sign-in and once linked", async () => {
    const conn = await h.connect();
    const email = `gone.${randomUUID().slice(0, 6)}@corp.example`;
    const id = await provision(email);
    const who = account({ email });
    expect((await signIn(conn, who)).signedInAs).toBe(id);
    await h.t.scim
      .patch(`/Users/${id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "active", value: false }],
      })
      .expect(200);
    const linked = await signIn(conn, who);
    expect(linked.code).toBe("user_deactivated");
    const never = `never.${randomUUID().slice(0, 6)}@corp.example`;
    await provision(never, undefined, false);
    expect((await signIn(conn, account({ email: never }))).code).toBe("user_deactivated");
  });

  it("a person already linked to another subject of the same IdP is an account_conflict", async () => {
    const conn = await h.connect();
    const email = `twice.${randomUUID().slice(0, 6)}@corp.example`;
    const id = await provision(email);
    expect((await signIn(conn, account({ email }))).signedInAs).toBe(id);
    const other = await signIn(conn, account({ email }));
    expect(other.code).toBe("account_conflict");
  });
});

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
      "SELECT count(*)::int AS n FROM outbox WHERE topic = 'user.created' AND payload->>'userId' = $1",
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
