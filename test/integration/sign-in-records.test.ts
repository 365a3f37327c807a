import express from "express";
import request from "supertest";
import { AccessRefusedError } from "../../src/domain/auth/access-errors";
import { systemActor } from "../../src/domain/context";
import { sendAccessError } from "../../src/http/auth/access-error-page";
import { type TestApp, startTestApp } from "../support/app";
import { seedPerson } from "../support/people";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ctx = { actor: systemActor, door: "auth" as const, requestId: null };
const attempt = { login: "ada", email: null, method: "password" as const, connectionId: null };
const facets = async (userName: string, qs: string) =>
  ((await t.admin.get(`/users?q=${encodeURIComponent(userName)}&${qs}`).expect(200)).body.items as unknown[]).length;

describe("recordSignInIn (the one writer of sign-in records)", () => {
  it("a success sets last_login_at and enrolment once, so the search's connected/enrolled filters are real", async () => {
    const p = await seedPerson(t.ds);
    expect(await facets(p.userName, "connected=false&enrolled=false")).toBe(1);
    const admitted = await t.services.signIns.record(ctx, {
      ...attempt,
      userId: p.id,
      outcome: "succeeded",
      code: null,
      reference: "ref-1",
    });
    expect(admitted).toBe(true);
    expect(await facets(p.userName, "connected=true&enrolled=true")).toBe(1);
    const [first] = await t.ds.query("SELECT enrolled_at, last_login_at FROM users WHERE id = $1", [p.id]);
    await t.services.signIns.record(ctx, {
      ...attempt,
      userId: p.id,
      outcome: "succeeded",
      code: null,
      reference: "r2",
    });
    const [second] = await t.ds.query("SELECT enrolled_at, last_login_at FROM users WHERE id = $1", [p.id]);
    expect(second.enrolled_at).toEqual(first.enrolled_at);
    expect(second.last_login_at.getTime()).toBeGreaterThanOrEqual(first.last_login_at.getTime());
    const audits = await t.ds.query("SELECT action, door, changes FROM audit_events WHERE target_id = $1 ORDER BY id", [
      p.id,
    ]);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(["sign_in.succeeded", "sign_in.succeeded"]);
    expect(audits[0]).toMatchObject({ door: "auth", changes: { reference: "ref-1", outcome: "succeeded" } });
    // The first sign-in enrolled the person (enrolled_at above, set once); user.enrolled has no consumer, so nothing
    // is queued (decision 0156).
    expect(first.enrolled_at).not.toBeNull();
    const enrolled = await t.ds.query(
      "SELECT count(*)::int AS n FROM outbox WHERE topic = 'user.enrolled' AND payload->>'userId' = $1",
      [p.id],
    );
    expect(enrolled[0].n).toBe(0);
  });

  it("a success for a deactivated person writes nothing and does not admit them", async () => {
    const p = await seedPerson(t.ds, { active: false });
    const admitted = await t.services.signIns.record(ctx, {
      ...attempt,
      userId: p.id,
      outcome: "succeeded",
      code: null,
      reference: "ref-x",
    });
    expect(admitted).toBe(false);
    const [row] = await t.ds.query("SELECT last_login_at FROM users WHERE id = $1", [p.id]);
    expect(row.last_login_at).toBeNull();
  });

  it("a refusal is audited with its code, whoever it is for", async () => {
    await t.services.signIns.record(ctx, {
      ...attempt,
      userId: null,
      outcome: "refused",
      code: "sso_only",
      reference: "ref-r",
    });
    const [row] = await t.ds.query(
      "SELECT action, door, changes FROM audit_events WHERE changes->>'reference' = 'ref-r'",
    );
    expect(row).toMatchObject({ action: "sign_in.refused", door: "auth", changes: { code: "sso_only", login: "ada" } });
  });
});

describe("the access-error page", () => {
  const app = express();
  app.get("/e/:code", (req, res) =>
    sendAccessError(req, res, new AccessRefusedError(req.params.code as "idp_error"), "REF-123"),
  );

  it.each([
    ["user_deactivated", 403],
    ["idp_error", 502],
    ["login_expired", 400],
  ])("%s: the code as text, the reference, a fitting status, a strict CSP", async (code, status) => {
    const res = await request(app).get(`/e/${code}`).expect(status);
    expect(res.type).toBe("text/html");
    expect(res.text).toContain(`<code id="access-error-code">${code}</code>`);
    expect(res.text).toContain("REF-123");
    expect(res.text).toMatch(/<html lang="en">/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.text).not.toMatch(/<script|style=/);
  });

  it("in French from Accept-Language or ?lang=fr", async () => {
    const fr = await request(app).get("/e/sso_only").set("Accept-Language", "fr-FR,fr;q=0.9").expect(403);
    expect(fr.text).toMatch(/<html lang="fr">/);
    expect(fr.text).toContain("Code d'erreur");
    const q = await request(app).get("/e/sso_only?lang=fr").expect(403);
    expect(q.text).toMatch(/<html lang="fr">/);
  });
});
