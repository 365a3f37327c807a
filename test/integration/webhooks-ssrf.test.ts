import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver";

// Without ALLOW_PRIVATE_TARGETS: private, loopback and link-local targets are refused when an endpoint is given
// (after DNS resolution), and again when a delivery is attempted (the name may point elsewhere by then).
let t: TestApp;
let rx: WebhookReceiver;
beforeAll(async () => {
  t = await startTestApp({
    ALLOW_PRIVATE_TARGETS: "false",
    KEY_ENCRYPTION_SECRET: "test-key-encryption-secret-of-32-chars!",
    WORKER_POLL_MS: "30",
    OUTBOUND_TIMEOUT_MS: "400",
    WEBHOOK_RETRY_SCHEDULE: "50ms,50ms",
  });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

describe("refused when given", () => {
  it.each([
    ["the loopback receiver itself", () => rx.url],
    ["https on loopback", () => "https://127.0.0.1/hooks"],
    ["a name resolving to loopback", () => "https://localhost/hooks"],
    ["IPv6 loopback", () => "https://[::1]/hooks"],
    ["link-local (cloud metadata)", () => "https://169.254.169.254/latest/meta-data"],
    ["a private network", () => "https://10.1.2.3/hooks"],
    ["IPv4-mapped IPv6 of a private address", () => "https://[::ffff:192.168.1.1]/hooks"],
  ])("%s: 400 naming url", async (_name, url) => {
    const res = await t.admin.post("/webhooks", { url: url(), events: ["user.created"] }).expect(400);
    expect(res.body).toMatchObject({ code: "invalid_value", field: "url" });
    expect((await t.admin.get("/webhooks").expect(200)).body.items).toEqual([]);
  });

  it("on update too", async () => {
    const w = (
      await t.admin.post("/webhooks", { url: "https://93.184.215.14/hooks", events: ["user.created"] }).expect(201)
    ).body;
    const res = await t.admin.patch(`/webhooks/${w.id}`, { url: "https://localhost/x" }).expect(400);
    expect(res.body.field).toBe("url");
    await t.admin.delete(`/webhooks/${w.id}`).expect(204);
  });
});

describe("refused when delivering", () => {
  it("an endpoint whose name now resolves to loopback gets nothing; the delivery fails at once, not retried", async () => {
    const w = (
      await t.admin.post("/webhooks", { url: "https://93.184.215.14/hooks", events: ["user.created"] }).expect(201)
    ).body;
    // what a DNS change would do: the endpoint's name now leads to this machine
    await t.ds.query("UPDATE webhooks SET url = $2 WHERE id = $1", [
      w.id,
      rx.url.replace("http://127.0.0.1", "https://localhost"),
    ]);
    await t.startWorker();
    await t.scim.post("/Users", buildScimUser()).expect(201);
    const d = await waitForDelivery(w.id);
    expect(d).toMatchObject({ status: "failed", attempt: 1, responseStatus: null });
    expect(d.error).toMatch(/^private_target: resolves to a non-public address/);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toEqual([]);
  });
});

async function waitForDelivery(id: string) {
  const end = Date.now() + 15_000;
  for (;;) {
    const items = (await t.admin.get(`/webhooks/${id}/deliveries`).expect(200)).body.items;
    if (items.length && items[0].status !== "pending") return items[0];
    if (Date.now() > end) throw new Error(`no finished delivery: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
