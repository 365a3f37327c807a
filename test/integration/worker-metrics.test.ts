import request from "supertest";
import type { RunningWorker } from "../../src/worker/worker";
import { personBody } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

let t: TestApp;
let sink: SmtpSink;
let worker: RunningWorker;
beforeAll(async () => {
  ({ t, sink, worker } = await startMailingApp());
});
afterAll(async () => t.close());

/** The value of one sample of /metrics, e.g. `roster_outbox_jobs_total{topic="invitation.requested",outcome="done"}`. */
async function sample(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = (await request(t.app).get("/metrics").expect(200)).text;
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split("\n").find((l) => {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(l);
    return m && m[1] === name && wanted.every((w) => m[2].split(",").includes(w));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

const topic = "invitation.requested";

describe("/metrics: the outbox worker", () => {
  it("counts jobs by topic and outcome, and shows the queue's due, oldest-due and dead jobs", async () => {
    expect(await sample("roster_outbox_jobs_total", { topic, outcome: "done" })).toBe(0);
    expect(await sample("roster_outbox_jobs_dead", { topic })).toBe(0);

    const refused = `refused.${Date.now()}@corp.test`;
    sink.refuse(refused, 550);
    await t.admin.post("/users", { ...personBody(), email: `ok.${Date.now()}@corp.test`, invite: "now" }).expect(201);
    await t.admin.post("/users", { ...personBody(), email: refused, invite: "now" }).expect(201);
    await eventually(
      async () => (await sample("roster_outbox_jobs_total", { topic, outcome: "dead" })) === 1,
      10_000,
      "one dead",
    );
    await eventually(
      async () => (await sample("roster_outbox_jobs_total", { topic, outcome: "done" })) === 1,
      10_000,
      "one done",
    );
    expect(await sample("roster_outbox_jobs_total", { topic, outcome: "retry" })).toBe(0);
    expect(await sample("roster_outbox_jobs_dead", { topic })).toBe(1);
    expect(await sample("roster_outbox_jobs_due", { topic })).toBe(0);
    expect(await sample("roster_outbox_jobs_oldest_due_seconds", { topic })).toBe(0);

    // With the worker stopped, jobs wait: the gauges show them, and how long the oldest has waited.
    await worker.stop();
    await t.ds.query(
      `INSERT INTO outbox (topic, payload, available_at) VALUES ($1, '{}', now() - interval '30 seconds'), ($1, '{}', now()), ($1, '{}', now() + interval '1 hour')`,
      [topic],
    );
    expect(await sample("roster_outbox_jobs_due", { topic })).toBe(2);
    const oldest = (await sample("roster_outbox_jobs_oldest_due_seconds", { topic }))!;
    expect(oldest).toBeGreaterThanOrEqual(30);
    expect(oldest).toBeLessThan(60);
  });
});
