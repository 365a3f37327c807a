import type { Ctx } from "../../src/domain/context";
import { unitOfWork } from "../../src/domain/unit-of-work";
import { type UserProfile, defaultAccount, emptyProfile } from "../../src/domain/users/user";
import { createEffects } from "../../src/domain/users/users.effects";
import { entity, person } from "../support/admin-fixtures";
import { type TestApp, startTestApp } from "../support/app";
import { report, runImport, upload } from "../support/imports";

// The set-based create of a batch's new people (decision 0129): the same userNames, audit records and events as the
// one-by-one path, and every row it cannot take left to that path.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "10" });
});
afterAll(async () => {
  await t.close();
});

const letters = () =>
  Date.now()
    .toString(26)
    .replace(/[0-9]/g, (c) => String.fromCharCode(107 + Number(c)));

it("makes first.last userNames for a batch at once, never the same twice, skipping one already held", async () => {
  const family = `Zed${letters()}`;
  const d = `${family.toLowerCase()}.test`;
  const held = await person(t, { givenName: "Jean", familyName: family, userName: `jean.${family.toLowerCase()}` });
  const csv = [
    "Email,First name,Last name",
    `j1@${d},Jean,${family}`,
    `j2@${d},Jean,${family}`,
    `j3@${d},Jean,${family}`,
    `${held.email},Jean,${family}`,
  ].join("\n");
  const res = await upload(t, csv, "same-names.csv");
  const done = await runImport(t, res.body.id);
  expect(done.counts).toMatchObject({ total: 4, created: 3, failed: 0 });
  const names = await t.ds.query(
    "SELECT user_name FROM users WHERE emails->0->>'value' LIKE $1 ORDER BY emails->0->>'value'",
    [`j_@${d}`],
  );
  const base = `jean.${family.toLowerCase()}`;
  expect(names.map((r: { user_name: string }) => r.user_name)).toEqual([`${base}2`, `${base}3`, `${base}4`]);
  // Each created person: one audit record through the door `import` with the import's request id, one event.
  const audits = await t.ds.query(
    "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.created' AND door = 'import' AND request_id = $1",
    [`import:${res.body.id}`],
  );
  expect(audits[0].n).toBe(3);
  const events = await t.ds.query(
    "SELECT count(*)::int AS n FROM events WHERE type = 'user.created' AND door = 'import' AND request_id = $1",
    [`import:${res.body.id}`],
  );
  expect(events[0].n).toBe(3);
  // user.created has no consumer (decision 0156): nothing is queued for the people created.
  expect(
    (
      await t.ds.query("SELECT count(*)::int AS n FROM outbox WHERE payload->>'requestId' = $1", [
        `import:${res.body.id}`,
      ])
    )[0].n,
  ).toBe(0);
  expect((await report(t, res.body.id)).slice(1).map((r) => r[3])).toEqual([
    "created",
    "created",
    "created",
    "unchanged",
  ]);
});

it("leaves to the one-by-one path a row matching by userName, and the rows the rules refuse (they fail alone)", async () => {
  const d = `b${letters()}.test`;
  const other = await person(t, {});
  const csv = [
    "Email,Username,First name,Last name",
    `okay@${d},,Ana,Okay`,
    `taken@${d},${other.userName},Ana,Taken`,
    `not-an-email,,Ana,Bad`,
    `short@${d},,Ana,Ok`,
  ].join("\n");
  const res = await upload(t, csv, "mixed.csv");
  const done = await runImport(t, res.body.id);
  const rows = (await report(t, res.body.id)).slice(1);
  expect(done.counts).toMatchObject({ total: 4, created: 1, updated: 1, failed: 2 });
  expect(rows.map((r) => [r[4], r[5]])).toEqual([
    ["created", ""],
    ["updated", ""],
    ["failed", "email: 'not-an-email' is not an email address"],
    ["failed", "familyName: must be at least 3 characters"],
  ]);
  expect(
    Number((await t.ds.query("SELECT count(*) FROM users WHERE emails->0->>'value' = $1", [`okay@${d}`]))[0].count),
  ).toBe(1);
});

it("writes the same columns and the same audit record as the one-by-one path (a row with a password takes that path)", async () => {
  const d = `s${letters()}.test`;
  const header = "Email,First name,Last name,Job title,Department,Phone,Employee number,Language,One-time password";
  const csv = [header, `same1@${d},Ana,Samefield,Chemist,Lab,+33 1 23 45 67 89,E-1,fr,`].join("\n");
  const alone = [header, `same2@${d},Ana,Samefield,Chemist,Lab,+33 1 23 45 67 89,E-1,fr,Tr0ub4dor&3-horse`].join("\n");
  for (const file of [csv, alone]) {
    const res = await upload(t, file, "same.csv");
    expect((await runImport(t, res.body.id)).counts).toMatchObject({ created: 1, failed: 0 });
  }
  const rows = await t.ds.query(
    `SELECT to_jsonb(u) - ARRAY['id', 'user_name', 'emails', 'search_text', 'password_hash', 'created_at', 'updated_at',
              'invited_at', 'enrolled_at', 'password_must_change', 'source_ref'] AS row, u.source_ref,
            (SELECT changes - ARRAY['userName', 'emails'] FROM audit_events a WHERE a.target_id = u.id::text
               AND a.action = 'user.created') AS changes
       FROM users u WHERE emails->0->>'value' IN ($1, $2) ORDER BY emails->0->>'value'`,
    [`same1@${d}`, `same2@${d}`],
  );
  expect(rows).toHaveLength(2);
  expect(rows[0].row).toMatchObject({ title: "Chemist", department: "Lab", employee_number: "E-1", source: "csv" });
  expect(rows[0].row).toEqual(rows[1].row);
  // Who made them (each upload here is by its own admin): the set-based path used to leave it empty.
  for (const r of rows) expect(r.source_ref).toMatch(/^test-admin-/);
  expect(rows[0].changes).toEqual(rows[1].changes);
  expect(Object.keys(rows[0].changes)).toEqual(expect.arrayContaining(["title", "enterprise.department"]));
});

/** The user.created audit record and feed event of the person holding `email`, as the import wrote them. */
async function recordsOf(email: string) {
  const [u] = await t.ds.query("SELECT id, user_name, emails FROM users WHERE emails->0->>'value' = $1", [email]);
  const audits = await t.ds.query(
    `SELECT actor_type, actor_id, actor_name, door, target_type, changes, request_id FROM audit_events
      WHERE action = 'user.created' AND target_id = $1`,
    [u.id],
  );
  const events = await t.ds.query(
    "SELECT type, subject_type, subject_id, data, door, actor, request_id FROM events WHERE subject_id = $1",
    [u.id],
  );
  return { user: u, audits, events };
}

it.each([
  [
    "every importable field",
    "Email,Username,First name,Last name,Job title,Department,Phone,Employee number,Language,Internal / external",
    (email: string, userName: string) =>
      `${email},${userName},Ana,Allfields,Chemist,Lab,+33 1 23 45 67 89,E-7,fr,external`,
    true,
  ],
  ["few fields", "Email,First name,Last name", (email: string) => `${email},Ana,Fewfields`, false],
])(
  "writes the same audit changes and feed event in SQL as createEffects does one by one (%s)",
  async (_, header, line, placed) => {
    const tag = `e${letters()}`;
    const d = `${tag}.test`;
    const where: Record<string, string> = placed
      ? { role: "auditor", entityId: await entity(t, `Lab ${letters()}`) }
      : {};
    const paths: Record<string, Awaited<ReturnType<typeof recordsOf>>> = {};
    for (const path of ["set", "alone"]) {
      const email = `${path}@${d}`;
      // A one-time password sends the row down the one-by-one path (importIn -> createIn -> createEffects).
      const csv =
        path === "set"
          ? [header, line(email, `set.${tag}`)].join("\n")
          : [`${header},One-time password`, `${line(email, `alone.${tag}`)},Tr0ub4dor&3-horse`].join("\n");
      const res = await upload(t, csv, `${path}.csv`, where);
      const done = await runImport(t, res.body.id);
      expect([done.counts, (await report(t, res.body.id)).slice(1).map((r) => r.at(-1))]).toEqual([
        expect.objectContaining({ created: 1, failed: 0 }),
        [""],
      ]);
      paths[path] = await recordsOf(email);
      const { user, audits, events } = paths[path];
      expect(audits).toHaveLength(1);
      expect(events).toHaveLength(1);
      // Who did it: the admin's token that uploaded, through the door `import`, under the import's request id.
      expect(audits[0]).toMatchObject({ actor_type: "token", door: "import", request_id: `import:${res.body.id}` });
      expect(events[0]).toMatchObject({ door: "import", request_id: `import:${res.body.id}`, subject_id: user.id });
      expect(events[0].data).toEqual({ userId: user.id, source: "csv" });
      const { actor_type, actor_id, actor_name } = audits[0];
      expect(events[0].actor).toEqual({ type: actor_type, id: actor_id, name: actor_name });
      // The userName and the address, told apart per path, are recorded as the row holds them.
      expect(audits[0].changes.userName).toEqual({ before: null, after: user.user_name });
      expect(audits[0].changes.emails).toEqual({ before: null, after: user.emails });
    }
    const { set, alone } = paths;
    // The rest of the record, the changes included, is the same; so is the event, but for whom it is about and who
    // uploaded it (each upload here is by its own token, under its own import's request id: both checked above).
    const rest = (c: Record<string, unknown>) => {
      const { userName, emails, ...others } = c;
      return others;
    };
    expect(rest(set.audits[0].changes)).toEqual(rest(alone.audits[0].changes));
    const { actor_id: _si, actor_name: _sn, request_id: _sr, changes: _sc, ...setAudit } = set.audits[0];
    const { actor_id: _ai, actor_name: _an, request_id: _ar, changes: _ac, ...aloneAudit } = alone.audits[0];
    expect(setAudit).toEqual(aloneAudit);
    const { subject_id: _s, request_id: _r, actor: sa, data: sd, ...setEvent } = set.events[0];
    const { subject_id: _a, request_id: _q, actor: aa, data: ad, ...aloneEvent } = alone.events[0];
    expect([setEvent, sa.type, Object.keys(sd)]).toEqual([aloneEvent, aa.type, Object.keys(ad)]);
    if (placed) {
      expect(rest(set.audits[0].changes)).toMatchObject({
        title: { before: null, after: "Chemist" },
        "enterprise.department": { before: null, after: "Lab" },
        "enterprise.employeeNumber": { before: null, after: "E-7" },
        preferredLanguage: { before: null, after: "fr" },
        phoneNumbers: { before: null, after: [expect.objectContaining({ value: "+33 1 23 45 67 89" })] },
        entityId: { before: null, after: where.entityId },
        systemRole: { before: "member", after: "auditor" },
        external: { before: false, after: true },
      });
    } else {
      // No empty list, no null and no default account value is recorded as a change.
      expect(Object.keys(set.audits[0].changes).sort()).toEqual(
        ["active", "displayName", "emails", "name.familyName", "name.formatted", "name.givenName", "userName"].sort(),
      );
    }
  },
);

it("builds createEffects' changes in SQL for the profiles an import never sends too: extras, and extras over a field", async () => {
  const tag = letters();
  const profile = (n: number, extras: Record<string, unknown[]>, more: Partial<UserProfile> = {}): UserProfile => ({
    ...emptyProfile(`extra.${tag}${"abcdefgh"[n]}`),
    emails: [{ value: `extra${n}@${tag}.test`, primary: true }],
    title: "Chemist",
    displayName: "Ana Extra",
    extras,
    ...more,
  });
  const items = [
    profile(0, { addresses: [{ formatted: "1 rue de la Paix", type: "work" }], ims: [], roles: [{ value: "lead" }] }),
    // auditView lays the extras over the fields: an empty list takes `title` out, a value replaces `displayName`.
    profile(1, { title: [], displayName: [{ value: "other" }] }),
    profile(
      2,
      {},
      {
        active: false,
        phoneNumbers: [],
        nickName: "",
        enterprise: { ...emptyProfile("x").enterprise, managerId: "m-1" },
      },
    ),
  ].map((p) => ({ profile: p, account: { ...defaultAccount(), external: true } }));
  const ctx: Ctx = {
    actor: { type: "system", id: null, name: "extras-test" },
    door: "system",
    requestId: `extras:${tag}`,
  };
  const ids = await unitOfWork(t.ds, ctx, (tx) => t.services.users.createManyIn(tx, items, "csv", null));
  expect(ids.every((id) => typeof id === "string")).toBe(true);
  for (const [i, id] of ids.entries()) {
    const [audit] = await t.ds.query(
      "SELECT changes FROM audit_events WHERE action = 'user.created' AND target_id = $1",
      [id],
    );
    const expected = createEffects(String(id), items[i].profile, items[i].account, "csv").audits[0].changes;
    expect(audit.changes).toEqual(JSON.parse(JSON.stringify(expected)));
  }
});
