import { randomBytes } from "node:crypto";
import { systemActor } from "../../src/domain/context";
import { type TestApp, startTestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { runCli } from "../support/process";

let t: TestApp;
const KEY_ENCRYPTION_SECRET = randomBytes(32).toString("base64url");
beforeAll(async () => {
  t = await startTestApp({ KEY_ENCRYPTION_SECRET });
});
afterAll(() => t.close());

describe("platform clients", () => {
  it("npx roster client create prints one line of JSON with client_id and client_secret; list and delete", async () => {
    const env = { DATABASE_URL: await workerDatabaseUrl(), KEY_ENCRYPTION_SECRET };
    const r = runCli(
      [
        "client",
        "create",
        "--name",
        "cli-platform",
        "--redirect-uri",
        "https://app.example.com/cb",
        "--backchannel-logout-uri",
        "https://app.example.com/bcl",
      ],
      env,
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out.client_id).toMatch(/^rc_/);
    expect(out.client_secret.length).toBeGreaterThanOrEqual(40);
    // the server reads the secret back (sealed with the shared key-encryption secret)
    expect((await t.services.oidcClients.metadata(out.client_id))?.clientSecret).toBe(out.client_secret);
    const listed = runCli(["client", "list"], env);
    expect(listed.stdout).toContain(out.client_id);
    expect(listed.stdout).not.toContain(out.client_secret);
    expect(runCli(["client", "delete", out.client_id], env).status).toBe(0);
    expect(await t.services.oidcClients.metadata(out.client_id)).toBeNull();
  });

  it("the CLI refuses a redirect URI that is not https with a clear line", () => {
    return workerDatabaseUrl().then((DATABASE_URL) => {
      const r = runCli(["client", "create", "--name", "bad", "--redirect-uri", "http://app.example.com/cb"], {
        DATABASE_URL,
        KEY_ENCRYPTION_SECRET,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/redirectUris.*https/);
    });
  });

  it("the admin API creates (secret once), lists and deletes; auditors may not", async () => {
    const created = await t.admin
      .post("/clients", { name: "api-platform", redirectUris: ["https://app.example.com/cb"] })
      .expect(201);
    expect(created.body).toMatchObject({ name: "api-platform", client_id: created.body.clientId });
    expect(created.body.clientSecret).toBe(created.body.client_secret);
    const list = await t.admin.get("/clients").expect(200);
    expect(list.body.items.map((c: { clientId: string }) => c.clientId)).toContain(created.body.clientId);
    expect(JSON.stringify(list.body)).not.toContain(created.body.clientSecret);
    await t.admin.post("/clients", { name: "api-platform", redirectUris: ["https://x.example/cb"] }).expect(409);
    await t.admin.post("/clients", { name: "x", redirectUris: ["not a url"] }).expect(400);
    await t.admin.post("/clients", { name: "x" }).expect(400);
    const auditor = t.adminAs(await t.token("auditor"));
    await auditor.get("/clients").expect(403);
    await t.admin.delete(`/clients/${created.body.clientId}`).expect(204);
    await t.admin.delete(`/clients/${created.body.clientId}`).expect(404);
  });
});

describe("the provider's state", () => {
  it("expired rows are pruned a day after they expire; live ones stay", async () => {
    await t.services.oidcState.upsert("Session", "live-one", { accountId: "a" }, 3600);
    await t.services.oidcState.upsert("Session", "old-one", { accountId: "a" }, 3600);
    await t.ds.query("UPDATE oidc_payloads SET expires_at = now() - interval '2 days' WHERE id = 'old-one'");
    expect(await t.services.oidcState.find("Session", "id", "old-one")).toBeNull();
    expect(await t.services.oidcState.pruneExpired()).toBeGreaterThanOrEqual(1);
    const ids = (await t.ds.query("SELECT id FROM oidc_payloads WHERE model = 'Session'")).map(
      (r: { id: string }) => r.id,
    );
    expect(ids).toContain("live-one");
    expect(ids).not.toContain("old-one");
  });
});

describe("GET /admin/v1/sign-in-events", () => {
  const ctx = { actor: systemActor, door: "auth" as const, requestId: null };
  const record = (login: string, outcome: "succeeded" | "refused", code: "sso_only" | "user_deactivated" | null) =>
    t.services.signIns.record(ctx, {
      userId: null,
      login,
      email: null,
      method: "password",
      connectionId: null,
      code,
      reference: randomBytes(4).toString("hex"),
      outcome,
    });

  it("finds attempts by email (or login) and code, newest first, paged, for admins and auditors", async () => {
    await record("Marie@corp.test", "refused", "sso_only");
    await record("marie@corp.test", "refused", "user_deactivated");
    await record("other@corp.test", "refused", "sso_only");
    const all = await t.admin.get("/sign-in-events?email=marie@CORP.test").expect(200);
    expect(all.body.items.map((e: { code: string }) => e.code)).toEqual(["user_deactivated", "sso_only"]);
    expect(all.body.items[0]).toMatchObject({ login: "marie@corp.test", outcome: "refused", method: "password" });
    expect(Date.parse(all.body.items[0].time)).not.toBeNaN();
    const byCode = await t
      .adminAs(await t.token("auditor"))
      .get("/sign-in-events?email=marie@corp.test&code=sso_only")
      .expect(200);
    expect(byCode.body.items).toHaveLength(1);
    const first = await t.admin.get("/sign-in-events?email=marie@corp.test&limit=1").expect(200);
    expect(first.body.items[0].code).toBe("user_deactivated");
    const second = await t.admin.get(`/sign-in-events?email=marie@corp.test&limit=1&cursor=${first.body.next}`);
    expect(second.body).toMatchObject({ items: [{ code: "sso_only" }] });
    expect(second.body.items[0].code).toBe("sso_only");
    expect(second.body.next).toBeNull();
    const future = await t.admin.get("/sign-in-events?from=2999-01-01").expect(200);
    expect(future.body.items).toEqual([]);
    await t.admin.get("/sign-in-events?code=nope").expect(400);
    await t.admin.get("/sign-in-events?cursor=zzz").expect(400);
  });
});
