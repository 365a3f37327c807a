import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import { type Browser, startProviderApp } from "../support/oidc-browser";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver";

// The console's webhook pages over real HTTP, deliveries made by the real worker to a receiver on loopback.
let t: TestApp;
let base: string;
let server: Server;
let rx: WebhookReceiver;

async function signedInAdmin(app: TestApp, at: string) {
  const person = await consolePerson(app.ds, "admin");
  const { browser, body } = await signInToConsole(at, "/console/webhooks", person.userName);
  const csrf = csrfOf(body);
  return {
    person,
    browser,
    post: (path: string, form: Record<string, string>) => browser.post(path, { _csrf: csrf, ...form }),
  };
}

/** A form body with a repeated field (checkboxes), as a browser sends it. */
const formWith = (csrf: string, fields: [string, string][]) =>
  new URLSearchParams([["_csrf", csrf], ...fields]).toString();

const secretOf = (html: string) => /<code id="secret-value">([^<]+)<\/code>/.exec(html)?.[1] ?? "";

async function waitFor<T>(read: () => Promise<T | null | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("console: webhooks (private targets allowed, as on a test machine)", () => {
  let browser: Browser;
  let post: (path: string, form: Record<string, string>) => Promise<Response>;
  let csrf: string;
  let adminId: string;
  beforeAll(async () => {
    ({ t, base, server } = await startProviderApp({
      WORKER_POLL_MS: "30",
      WEBHOOK_RETRY_SCHEDULE: "50ms",
    }));
    rx = await startWebhookReceiver();
    await t.startWorker();
    const a = await signedInAdmin(t, base);
    ({ browser, post } = a);
    adminId = a.person.id;
    csrf = csrfOf(await (await browser.get("/console/webhooks")).text());
  });
  afterAll(async () => {
    server.close();
    await t.close();
    await rx.close();
  });

  it("adds an endpoint showing its secret once; its page shows a failed delivery, retried from the console", async () => {
    rx.answer = () => 503;
    const created = await browser.request("/console/webhooks", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: formWith(csrf, [
        ["url", rx.url],
        ["events", "user.created"],
        ["events", "user.updated"],
        ["description", "Platform"],
      ]),
    });
    expect(created.status).toBe(201);
    const secret = secretOf(await created.text());
    expect(secret).toMatch(/^whsec_/);
    const [row] = await t.ds.query("SELECT id, events FROM webhooks WHERE url = $1", [rx.url]);
    expect(row.events).toEqual(["user.created", "user.updated"]);
    const [audit] = await t.ds.query(
      "SELECT door, actor_id FROM audit_events WHERE action = 'webhook.created' ORDER BY id DESC LIMIT 1",
    );
    expect(audit).toEqual({ door: "console", actor_id: adminId });
    const list = await (await browser.get("/console/webhooks")).text();
    expect(list).toContain(rx.url);
    expect(list).not.toContain("whsec_");

    await t.scim
      .post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "hook@x.test" })
      .expect(201);
    await rx.until((g) => g.length >= 2);
    const failed = await waitFor(
      async () =>
        (await t.ds.query("SELECT id FROM webhook_deliveries WHERE webhook_id = $1 AND state = 'failed'", [row.id]))[0],
    );
    const page = await (await browser.get(`/console/webhooks/${row.id}`)).text();
    expect(page).not.toContain(secret);
    expect(page).toContain("HTTP 503");
    expect(page).toContain(`/console/webhooks/${row.id}/deliveries/${failed.id}/retry`);

    rx.answer = () => 200;
    const retried = await post(`/console/webhooks/${row.id}/deliveries/${failed.id}/retry`, {});
    expect(retried.status).toBe(303);
    expect(retried.headers.get("location")).toBe(`/console/webhooks/${row.id}?done=retried`);
    await waitFor(
      async () =>
        (await t.ds.query("SELECT 1 FROM webhook_deliveries WHERE id = $1 AND state = 'delivered'", [failed.id]))[0],
    );
  });

  it("disables, enables, rotates (the new secret once) and deletes after a confirmation", async () => {
    const [{ id }] = await t.ds.query("SELECT id FROM webhooks WHERE url = $1", [rx.url]);
    expect((await post(`/console/webhooks/${id}/disable`, {})).headers.get("location")).toBe(
      `/console/webhooks/${id}?done=disabled`,
    );
    expect((await t.ds.query("SELECT enabled FROM webhooks WHERE id = $1", [id]))[0].enabled).toBe(false);
    await post(`/console/webhooks/${id}/enable`, {});
    expect((await t.ds.query("SELECT enabled FROM webhooks WHERE id = $1", [id]))[0].enabled).toBe(true);

    const rotated = await post(`/console/webhooks/${id}/rotate`, {});
    expect(rotated.status).toBe(200);
    const fresh = secretOf(await rotated.text());
    expect(fresh).toMatch(/^whsec_/);
    expect(await (await browser.get(`/console/webhooks/${id}`)).text()).not.toContain(fresh);

    const confirm = await browser.get(`/console/webhooks/${id}/delete`);
    expect(await confirm.text()).toContain(`action="/console/webhooks/${id}/delete"`);
    const deleted = await post(`/console/webhooks/${id}/delete`, {});
    expect(deleted.headers.get("location")).toBe("/console/webhooks?done=deleted");
    expect(await t.ds.query("SELECT 1 FROM webhooks WHERE id = $1", [id])).toEqual([]);
    const actions = await t.ds.query(
      "SELECT action FROM audit_events WHERE target_id = $1 AND door = 'console' ORDER BY id",
      [id],
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(["webhook.disabled", "webhook.enabled", "webhook.secret_rotated", "webhook.deleted"]),
    );
  });

  it("shows a missing event type beside the events, keeping the URL typed", async () => {
    const res = await post("/console/webhooks", { url: "https://hooks.example.com/roster" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-events-error"[^>]*>.*at least one event type/s);
    expect(html).toContain('value="https://hooks.example.com/roster"');
  });
});

describe("console: webhooks to private targets (ALLOW_PRIVATE_TARGETS off)", () => {
  let strict: { t: TestApp; base: string; server: Server };
  beforeAll(async () => {
    strict = await startProviderApp({ ALLOW_PRIVATE_TARGETS: "false" });
  });
  afterAll(async () => {
    strict.server.close();
    await strict.t.close();
  });

  it("refuses a loopback URL with the reason beside the URL, and writes nothing", async () => {
    const { post } = await signedInAdmin(strict.t, strict.base);
    const res = await post("/console/webhooks", { url: "https://127.0.0.1:8443/hook", events: "user.created" });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/id="f-url-error"[^>]*>.*non-public address/s);
    expect(await strict.t.ds.query("SELECT 1 FROM webhooks")).toEqual([]);
  });
});
