import { randomUUID } from "node:crypto";
import { ssoFlows } from "../support/sso-flows";
import { type SsoHarness, startSsoHarness } from "../support/sso-harness";

let h: SsoHarness;
beforeAll(async () => {
  h = await startSsoHarness();
});
afterAll(() => h.close());

const { provision, account, signIn, links, refusals } = ssoFlows(() => h);

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
