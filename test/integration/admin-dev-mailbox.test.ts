import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { createApp } from "../../src/app";
import { parseConfig } from "../../src/config/env";
import { entity, person, scopedAdmin } from "../support/admin-fixtures";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser } from "../support/factories";
import { eventually } from "../support/people";

/** GET /admin/v1/dev/mailbox: the embedded default (no SMTP_URL) writes messages to DATA_DIR/mail; admins read them. */
let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "roster-mailbox-"));
  t = await startTestApp({ WORKER_POLL_MS: "50", DATA_DIR: dataDir, SMTP_URL: "" });
  await t.startWorker();
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const tokenOf = (link: string) => link.split("/").pop()!;
const messages = () => readdir(join(dataDir, "mail")).catch(() => [] as string[]);
const listed = async (n: number) =>
  eventually(
    async () => {
      const body = (await t.admin.get("/dev/mailbox").expect(200)).body;
      return body.items.length >= n ? body : null;
    },
    10_000,
    `${n} messages in the dev mailbox`,
  );

describe("the dev mailbox", () => {
  let mailUser: { id: string; email: string };
  let smsUser: string;
  beforeAll(async () => {
    mailUser = await person(t, { invite: "now", language: "fr", givenName: "Élodie", familyName: "Durand" });
    await listed(1);
    smsUser = (
      await t.scim
        .post("/Users", {
          ...buildScimUser({ userName: `mobile${Date.now()}` }),
          emails: [],
          phoneNumbers: [{ value: "+33612340000" }],
        })
        .expect(201)
    ).body.id;
    await t.admin.post(`/users/${smsUser}/invitation`).expect(202);
    await listed(2);
  });

  it("lists the messages newest first with kind, recipients, decoded subject, date and the working invitation link", async () => {
    const { items, nextCursor } = (await t.admin.get("/dev/mailbox").expect(200)).body;
    expect(nextCursor).toBeNull();
    expect(items.map((i: { kind: string }) => i.kind)).toEqual(["sms", "email"]);
    const [sms, mail] = items;
    expect(mail).toMatchObject({
      kind: "email",
      to: [mailUser.email.toLowerCase()],
      subject: "Vous êtes invité·e à rejoindre Roster",
    });
    expect(Date.now() - new Date(mail.date).getTime()).toBeLessThan(60_000);
    expect(mail.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/invitations\/[A-Za-z0-9_-]{43}$/);
    expect(sms).toMatchObject({ kind: "sms", to: ["+33612340000"], subject: null });
    // Each link is the one the invitation holds (only its hash is stored).
    const hashes = async (id: string) =>
      (await t.ds.query("SELECT token_hash FROM invitations WHERE user_id = $1", [id]))[0].token_hash;
    expect(sha256(tokenOf(mail.link))).toBe(await hashes(mailUser.id));
    expect(sha256(tokenOf(sms.link))).toBe(await hashes(smsUser));
    expect((await messages()).sort()).toEqual(items.map((i: { id: string }) => i.id).sort());
  });

  it("pages with limit and cursor, neither repeating nor losing a message", async () => {
    const first = (await t.admin.get("/dev/mailbox?limit=1").expect(200)).body;
    expect(first.items).toHaveLength(1);
    const second = (await t.admin.get(`/dev/mailbox?limit=1&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect((await t.admin.get("/dev/mailbox?limit=0").expect(400)).body.field).toBe("limit");
    expect((await t.admin.get("/dev/mailbox?cursor=../../etc").expect(400)).body.field).toBe("cursor");
  });

  it("returns a raw message: the .eml as message/rfc822, an SMS as JSON", async () => {
    const { items } = (await t.admin.get("/dev/mailbox").expect(200)).body;
    const mail = await t.admin
      .get(`/dev/mailbox/${items[1].id}`)
      .buffer(true)
      .parse((res, cb) => {
        let data = "";
        res.on("data", (c) => (data += c));
        res.on("end", () => cb(null, data));
      })
      .expect(200);
    expect(mail.headers["content-type"]).toMatch(/^message\/rfc822/);
    expect(mail.headers["cache-control"]).toBe("no-store");
    expect(mail.body).toMatch(/^Content-Language: fr$/m);
    expect(mail.body).toMatch(/^Subject: /m);
    const sms = await t.admin.get(`/dev/mailbox/${items[0].id}`).expect(200);
    expect(sms.headers["content-type"]).toMatch(/^application\/json/);
    expect(sms.body).toMatchObject({ to: "+33612340000", text: expect.stringContaining(items[0].link) });
  });

  it("opens only message ids: anything else, path traversal included, is 404 and reads nothing", async () => {
    await writeFile(join(dataDir, "secret.txt"), "not a message");
    for (const id of [
      "secret.txt",
      "..%2F..%2Fetc%2Fpasswd",
      "%2e%2e",
      "..",
      "2026-01-01T00-00-00-000Z-00000000.eml",
      "2026-01-01T00-00-00-000Z-0000000g.eml",
    ]) {
      const res = await t.admin.get(`/dev/mailbox/${id}`);
      expect([id, res.status]).toEqual([id, 404]);
      expect(res.text).not.toContain("not a message");
    }
    await t.admin.get("/dev/mailbox/mail%2F..%2F..%2Fsecret.txt").expect(404);
  });

  it("is for admins of the whole organisation: auditors and limited admins are refused", async () => {
    const auditor = t.adminAs(await t.token("auditor"));
    expect((await auditor.get("/dev/mailbox").expect(403)).body.code).toBe("admin_only");
    const { items } = (await t.admin.get("/dev/mailbox").expect(200)).body;
    expect((await auditor.get(`/dev/mailbox/${items[0].id}`).expect(403)).body.code).toBe("admin_only");
    const limited = await scopedAdmin(t, [await entity(t, `Mailbox ${Date.now()}`)]);
    expect((await limited.client.get("/dev/mailbox").expect(403)).body.code).toBe("out_of_scope");
  });

  it("is off (404 dev_mailbox_off) when mail goes to an SMTP server", async () => {
    const app = createApp(
      parseConfig({ ...process.env, SMTP_URL: "smtp://127.0.0.1:2525", DATA_DIR: dataDir }),
      t.ds,
      t.services,
    );
    const token = await t.token("admin");
    const res = await request(app).get("/admin/v1/dev/mailbox").set("Authorization", `Bearer ${token}`).expect(404);
    expect(res.body.code).toBe("dev_mailbox_off");
  });
});
