import { personBody } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ WORKER_MAX_ATTEMPTS: "6", WORKER_BACKOFF_MS: "150" }));
});
afterAll(async () => t.close());

const invitationOf = async (userId: string) => (await t.admin.get(`/users/${userId}/invitation`).expect(200)).body;
const jobOf = async (userId: string) =>
  (
    await t.ds.query(
      "SELECT attempts, last_error, processed_at, dead_at FROM outbox WHERE topic = 'invitation.requested' AND payload->>'userId' = $1",
      [userId],
    )
  )[0];

async function invite(email: string): Promise<string> {
  return (await t.admin.post("/users", { ...personBody(), email, invite: "now" }).expect(201)).body.id;
}

describe("what the SMTP server answers decides between retrying and giving up", () => {
  it("5xx (550): the invitation fails at once, after one attempt, with the server's answer; no link stays valid", async () => {
    const email = `nobody.${Date.now()}@corp.test`;
    sink.refuse(email, 550);
    const userId = await invite(email);
    const inv = await eventually(
      async () => {
        const i = await invitationOf(userId);
        return i.status === "failed" ? i : null;
      },
      10_000,
      "invitation failed",
    );
    expect(inv.failure).toContain("550");
    expect(inv.sentAt).toBeNull();
    // onDead (which fails the invitation) runs just before the job is marked dead: wait for the mark.
    const job = await eventually(
      async () => ((await jobOf(userId))?.dead_at ? jobOf(userId) : null),
      10_000,
      "job dead",
    );
    expect(job.attempts).toBe(1);
    expect(job.dead_at).not.toBeNull();
    const [row] = await t.ds.query("SELECT token_hash FROM invitations WHERE user_id = $1", [userId]);
    expect(row.token_hash).toBeNull();
    expect(sink.mails.filter((m) => m.to.includes(email))).toHaveLength(0);
  });

  it("4xx (451): retried with backoff while the server defers, then delivered once it accepts; the invitation was never failed", async () => {
    const email = `later.${Date.now()}@corp.test`;
    sink.refuse(email, 451);
    const userId = await invite(email);
    const deferred = await eventually(
      async () => {
        const j = await jobOf(userId);
        return j.attempts >= 2 ? j : null;
      },
      10_000,
      "two attempts",
    );
    expect(deferred.last_error).toContain("451");
    expect(deferred.dead_at).toBeNull();
    expect(deferred.processed_at).toBeNull();
    expect((await invitationOf(userId)).status).toBe("queued");

    sink.accept(email);
    await eventually(async () => sink.mails.some((m) => m.to.includes(email)), 15_000, "the mail");
    const inv = await eventually(
      async () => {
        const i = await invitationOf(userId);
        return i.status === "pending" ? i : null;
      },
      5000,
      "invitation pending",
    );
    expect(inv.failedAt).toBeNull();
    // The job is marked done once its handler has returned, a moment after the invitation shows sent.
    const done = await eventually(
      async () => {
        const j = await jobOf(userId);
        return j.processed_at ? j : null;
      },
      5000,
      "the job done",
    );
    // At least one deferred attempt and the one delivered: the second may already have been under way when the sink
    // started accepting (attempts are counted as a job starts), so two is the least, not three.
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(sink.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});
