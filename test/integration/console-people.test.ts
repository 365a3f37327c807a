import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import type { Browser } from "../support/oidc-browser";
import { startProviderApp } from "../support/oidc-browser";
import { eventually, seedEntity, seedPerson } from "../support/people";

let t: TestApp;
let base: string;
let server: Server;
let admin: Browser;
let csrf: string;

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
/** A word only this test's people have in their names: every list below is narrowed by it. */
const tag = () => `Tq${randomBytes(4).toString("hex").replace(/\d/g, "x")}`;
const unAmp = (s: string) => s.replace(/&amp;/g, "&");
const idsIn = (html: string) => [...html.matchAll(/href="\/console\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

beforeAll(async () => {
  // Up to 2 people a mass action is worked through by the request; more become a job for the worker's runners.
  ({ t, base, server } = await startProviderApp({ ADMIN_ACTIONS_SYNC_MAX: "2", WORKER_POLL_MS: "50" }));
  const me = await consolePerson(t.ds, "admin");
  ({ browser: admin } = await signInToConsole(base, "/console/people", me.userName));
  csrf = csrfOf(await (await admin.get("/console/people")).text());
});
afterAll(async () => {
  server.close();
  await t.close();
});

const list = async (qs: string, as = admin) => {
  const res = await as.get(`/console/people?${qs}`);
  return { status: res.status, html: await res.text() };
};
const postActions = (form: Record<string, string | string[]>, as = admin, token = csrf) => {
  const body = new URLSearchParams({ _csrf: token });
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
  return as.request("/console/people/actions", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
};
const invitationsOf = async (ids: string[]) =>
  (await t.ds.query("SELECT user_id, door FROM invitations WHERE user_id = ANY($1::uuid[])", [ids])) as {
    user_id: string;
    door: string;
  }[];
const auditOf = async (ids: string[], action: string) =>
  (await t.ds.query("SELECT target_id, door FROM audit_events WHERE action = $2 AND target_id = ANY($1::text[])", [
    ids,
    action,
  ])) as { target_id: string; door: string }[];

describe("GET /console/people: search and status filters", () => {
  const who: Record<string, string> = {};
  let word: string;
  beforeAll(async () => {
    word = tag();
    const seeds: [string, Parameters<typeof seedPerson>[1]][] = [
      ["conn", { givenName: "Élodie", enrolledAt: ago(9), lastLoginAt: ago(1) }],
      ["invited", { givenName: "Inès", invitedAt: ago(2) }],
      ["nocontact", { userName: `nocontact.${word}`, emails: [], givenName: "Noé" }],
      ["ext", { givenName: "Xavier", external: true, enrolledAt: ago(5) }],
      ["off", { givenName: "Olga", active: false, enrolledAt: ago(9), lastLoginAt: ago(8) }],
      ["csv", { givenName: "Carole", source: "csv" }],
    ];
    for (const [key, seed] of seeds) who[key] = (await seedPerson(t.ds, { familyName: word, ...seed })).id;
  });
  const named = (ids: string[]) => ids.map((id) => Object.entries(who).find(([, v]) => v === id)?.[0] ?? id).sort();

  it("finds people by an accented name typed with or without accents, in any case", async () => {
    for (const q of ["elodie", "ÉLODIE", "Élodie"]) {
      const { status, html } = await list(`q=${encodeURIComponent(`${q} ${word}`)}`);
      expect(status).toBe(200);
      expect(named(idsIn(html))).toEqual(["conn"]);
      expect(html).toContain("1 person matches");
    }
  });

  it.each([
    ["connection=connected", ["conn", "off"]],
    ["connection=never", ["csv", "ext", "invited", "nocontact"]],
    ["enrolment=enrolled", ["conn", "ext", "off"]],
    ["enrolment=never", ["csv", "invited", "nocontact"]],
    ["enrolment=impossible", ["nocontact"]],
    ["kind=internal", ["conn", "csv", "invited", "nocontact", "off"]],
    ["kind=external", ["ext"]],
    ["account=active", ["conn", "csv", "ext", "invited", "nocontact"]],
    ["account=deactivated", ["off"]],
    ["account=invited", ["invited"]],
    ["source=csv", ["csv"]],
    ["connection=never&enrolment=never&source=scim", ["invited", "nocontact"]],
  ])("%s", async (qs, expected) => {
    const { status, html } = await list(`q=${word}&${qs}`);
    expect(status).toBe(200);
    expect(named(idsIn(html))).toEqual(expected);
    expect(html).toContain(expected.length === 1 ? "1 person matches" : `${expected.length} people match`);
  });

  it("shows each row's state in words, the entity by name, and a checkbox labelled with the name", async () => {
    const entity = await seedEntity(t.ds, "Lyon");
    await t.ds.query("UPDATE users SET entity_id = $2 WHERE id = $1", [who.off, entity]);
    const { html } = await list(`q=${word}&account=deactivated`);
    expect(html).toContain("Deactivated");
    expect(html).toContain("Joined");
    expect(html).toMatch(/Lyon [0-9a-f]{6}/);
    expect(html).toContain(`aria-label="Select Olga ${word}"`);
    expect(html).toContain('<th scope="col">');
    expect(html).toContain("<caption>");
    const fr = await admin.request(`/console/people?q=${word}&kind=external`, { headers: { "accept-language": "fr" } });
    const frHtml = await fr.text();
    expect(frHtml).toContain("Externe");
    expect(frHtml).toContain("Jamais");
  });

  it("says which drop-down was given a value it does not offer (400), and lists as if 'any'", async () => {
    const { status, html } = await list(`q=${word}&connection=sometimes`);
    expect(status).toBe(400);
    expect(html).toContain("This choice is not offered");
    expect(idsIn(html)).toHaveLength(6);
  });

  it("shows a search of too many words as an error next to the search box", async () => {
    const { status, html } = await list(`q=${encodeURIComponent("a b c d e f g h i")}`);
    expect(status).toBe(400);
    expect(html).toMatch(/id="f-q-error"[^>]*>.*at most 8 words/s);
  });
});

describe("paging", () => {
  it("keeps the search and filters on the next and previous pages, with the count", async () => {
    const word = tag();
    for (let i = 0; i < 55; i++)
      await seedPerson(t.ds, { familyName: word, givenName: `P${String.fromCharCode(97 + (i % 26))}` });
    await seedPerson(t.ds, { familyName: word, lastLoginAt: ago(1) });
    const first = await list(`q=${word}&connection=never`);
    expect(idsIn(first.html)).toHaveLength(50);
    expect(first.html).toContain("55 people match");
    const next = /<a href="([^"]+)" rel="next"/.exec(first.html)?.[1];
    expect(next).toBeDefined();
    const nextUrl = new URL(unAmp(next!), base);
    expect(nextUrl.searchParams.get("q")).toBe(word);
    expect(nextUrl.searchParams.get("connection")).toBe("never");
    const second = await list(nextUrl.search.slice(1));
    expect(idsIn(second.html)).toHaveLength(5);
    expect(new Set([...idsIn(first.html), ...idsIn(second.html)]).size).toBe(55);
    expect(second.html).not.toContain('rel="next"');
    const prev = /<a href="([^"]+)" rel="prev"/.exec(second.html)?.[1];
    const back = await list(new URL(unAmp(prev!), base).search.slice(1));
    expect(idsIn(back.html)).toEqual(idsIn(first.html));
  });
});

describe("mass actions", () => {
  it("invites people selected from 'never connected' at once: invitations asked, audited through the console", async () => {
    const word = tag();
    const a = await seedPerson(t.ds, { familyName: word });
    const b = await seedPerson(t.ds, { familyName: word });
    await seedPerson(t.ds, { familyName: word, enrolledAt: ago(3), lastLoginAt: ago(1) });
    const { html } = await list(`q=${word}&connection=never`);
    expect(idsIn(html).sort()).toEqual([a.id, b.id].sort());

    const res = await postActions({ action: "invite", target: "selected", ids: [a.id, b.id], filter: `q=${word}` });
    expect(res.status).toBe(303);
    const to = res.headers.get("location")!;
    expect(to).toMatch(/^\/console\/jobs\/[0-9a-f-]{36}\?done=invite$/);
    expect((await invitationsOf([a.id, b.id])).map((i) => i.door)).toEqual(["console", "console"]);
    expect((await auditOf([a.id, b.id], "user.invited")).map((x) => x.door)).toEqual(["console", "console"]);

    const page = await (await admin.get(to)).text();
    expect(page).toContain("Finished");
    expect(page).toMatch(/id="job-done">2</);
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).not.toContain("hx-trigger");
  });

  it("invites everyone matching the filters as a background job whose page shows its progress live", async () => {
    const word = tag();
    const people = [];
    for (let i = 0; i < 3; i++) people.push((await seedPerson(t.ds, { familyName: word })).id);
    const mute = await seedPerson(t.ds, { familyName: word, userName: `mute.${word}`, emails: [] });
    const joined = await seedPerson(t.ds, { familyName: word, enrolledAt: ago(2), lastLoginAt: ago(1) });

    const res = await postActions({ action: "invite", target: "all", filter: `q=${word}&connection=never` });
    expect(res.status).toBe(303);
    const to = res.headers.get("location")!;
    const jobId = /\/console\/jobs\/([0-9a-f-]{36})/.exec(to)![1];
    const [job] = await t.ds.query("SELECT total, door FROM admin_jobs WHERE id = $1", [jobId]);
    expect(job).toEqual({ total: 4, door: "console" });

    // Not started yet (no worker): the page polls its progress region and, without JavaScript, refreshes itself.
    const waiting = await (await admin.get(to)).text();
    expect(waiting).toContain('hx-trigger="every 2s"');
    expect(waiting).toContain(`hx-get="/console/jobs/${jobId}"`);
    expect(waiting).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(waiting).toContain('role="status"');
    const fragment = await admin.request(`/console/jobs/${jobId}`, { headers: { "hx-request": "true" } });
    const part = await fragment.text();
    expect(part.startsWith('<section id="job-progress"')).toBe(true);
    expect(part).not.toContain("<html");

    await t.startWorker();
    const done = await eventually(async () => {
      const html = await (await admin.request(`/console/jobs/${jobId}`, { headers: { "hx-request": "true" } })).text();
      return html.includes("Finished") ? html : null;
    });
    expect(done).not.toContain("hx-trigger");
    expect(done).toMatch(/id="job-done">3</);
    expect(done).toMatch(/id="job-failed">1</);
    expect(done).toContain("no_contact");
    expect(done).toContain("No email address or phone number an invitation could go to");
    expect(done).toContain(`/console/people/${mute.id}`);
    expect((await invitationsOf(people)).map((i) => i.door)).toEqual(["console", "console", "console"]);
    expect((await auditOf(people, "user.invited")).map((x) => x.door)).toEqual(["console", "console", "console"]);
    expect(await invitationsOf([joined.id, mute.id])).toEqual([]);

    const jobs = await (await admin.get("/console/jobs")).text();
    expect(jobs).toContain(`/console/jobs/${jobId}`);
  });

  it("refuses a request without a selection, or 'all' without a filter, with the list and the reason (400)", async () => {
    const none = await postActions({ action: "invite", target: "selected", filter: "connection=never" });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Select at least one person");
    const everyone = await postActions({ action: "disable", target: "all", filter: "" });
    expect(everyone.status).toBe(400);
    expect(await everyone.text()).toContain("Choose at least one filter");
    const bad = await postActions({ action: "invite", ids: ["not-an-id"], filter: "" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("must be a user id");
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM admin_jobs WHERE action = 'disable'");
    expect(n).toBe(0);
  });

  it("deactivates and activates a selection again", async () => {
    const word = tag();
    const p = await seedPerson(t.ds, { familyName: word });
    expect((await postActions({ action: "disable", ids: p.id, filter: "" })).status).toBe(303);
    expect((await t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]))[0].active).toBe(false);
    expect((await auditOf([p.id], "user.deactivated")).map((x) => x.door)).toEqual(["console"]);
    expect((await postActions({ action: "enable", ids: p.id, filter: "" })).status).toBe(303);
    expect((await t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]))[0].active).toBe(true);
  });
});

describe("reach and roles", () => {
  it("shows an entity-scoped admin only their entities' people, and does not act on an outsider named by id", async () => {
    const word = tag();
    const mine = await seedEntity(t.ds, "Mine");
    const other = await seedEntity(t.ds, "Other");
    const inside = await seedPerson(t.ds, { familyName: word, entityId: mine });
    const outsider = await seedPerson(t.ds, { familyName: word, entityId: other });
    const scoped = await consolePerson(t.ds, "admin", { adminScope: [mine] });
    const { browser } = await signInToConsole(base, "/console/people", scoped.userName);
    const page = await (await browser.get(`/console/people?q=${word}`)).text();
    expect(idsIn(page)).toEqual([inside.id]);
    expect(page).toContain("1 person matches");

    const res = await postActions(
      { action: "invite", ids: [inside.id, outsider.id], filter: "" },
      browser,
      csrfOf(page),
    );
    expect(res.status).toBe(303);
    expect((await invitationsOf([inside.id, outsider.id])).map((i) => i.user_id)).toEqual([inside.id]);
    const job = await (await browser.get(res.headers.get("location")!)).text();
    expect(job).toMatch(/id="job-done">1</);
    expect(job).not.toContain(`/console/people/${outsider.id}`);
  });

  it("shows auditors no selection nor action buttons, and refuses their post", async () => {
    const auditor = await consolePerson(t.ds, "auditor");
    const { browser, body } = await signInToConsole(base, "/console/people", auditor.userName);
    expect(body).toMatch(/people match|person matches/);
    expect(body).not.toContain('action="/console/people/actions"');
    expect(body).not.toContain('type="checkbox"');
    const p = await seedPerson(t.ds, {});
    const res = await postActions({ action: "disable", ids: p.id, filter: "" }, browser, csrfOf(body));
    expect(res.status).toBe(403);
    expect((await t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]))[0].active).toBe(true);
  });

  it("refuses a mass action without the CSRF token", async () => {
    const p = await seedPerson(t.ds, {});
    const res = await postActions({ action: "disable", ids: p.id, filter: "" }, admin, "");
    expect(res.status).toBe(403);
    expect((await t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]))[0].active).toBe(true);
  });
});
