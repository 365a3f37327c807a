import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { entity, person } from "../support/admin-fixtures";
import { memberIds, scimGroup } from "../support/group-fixtures";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import { type Browser, startProviderApp } from "../support/oidc-browser";

/**
 * The console's entity, group and audit pages over real HTTP (no browser): the tree, its forms, group members, the audit
 * log's filters, export and chain check, as a full admin, an admin limited to part of the tree, and an auditor.
 */
let t: TestApp;
let base: string;
let server: Server;
let admin: { browser: Browser; token: string; id: string };

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  admin = await signedIn("admin");
});
afterAll(async () => {
  server.close();
  await t.close();
});

async function signedIn(role: "admin" | "auditor", adminScope?: string[]) {
  const p = await consolePerson(t.ds, role, { adminScope });
  const { browser, body } = await signInToConsole(base, "/console", p.userName);
  return { browser, token: csrfOf(body), id: p.id };
}

/** Posts a console form with its CSRF token; repeated fields (arrays) are sent as the browser sends checkboxes. */
function post(who: { browser: Browser; token: string }, path: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams({ _csrf: who.token });
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return who.browser.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
}

const page = async (who: { browser: Browser }, path: string) => {
  const res = await who.browser.get(path);
  return { status: res.status, html: await res.text() };
};

/** The error shown beside a field (Field/Select render it right after the control, tied by aria-describedby). */
const errorBeside = (html: string, field: string) =>
  new RegExp(`id="f-${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(html)?.[1] ?? null;

const auditOf = (action: string, subject: string) =>
  t.ds.query("SELECT door, actor_id, changes FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY id", [
    action,
    subject,
  ]);

describe("entities: the tree and its forms", () => {
  it("shows the tree nested, creates, renames and moves, and refuses a move into its own subtree beside the field", async () => {
    const root = await entity(t, "Acme Holding");
    const europe = await entity(t, "Europe", root);
    await entity(t, "Paris office", europe);

    const tree = await page(admin, "/console/entities");
    expect(tree.status).toBe(200);
    // Paris is a list item inside Europe's list, inside the holding's.
    expect(tree.html).toMatch(/Acme Holding<\/a><ul class="tree">.*Europe<\/a><ul class="tree">.*Paris office<\/a>/s);

    const created = await post(admin, "/console/entities", {
      name: "  Lyon office ",
      parentId: europe,
      externalKey: "",
    });
    expect(created.status).toBe(303);
    const lyon = /\/console\/entities\/([0-9a-f-]{36})\?done=created/.exec(created.headers.get("location") ?? "")![1];
    const [row] = await t.ds.query("SELECT name, parent_id FROM entities WHERE id = $1", [lyon]);
    expect(row).toEqual({ name: "Lyon office", parent_id: europe });
    expect(await auditOf("entity.created", lyon)).toEqual([
      expect.objectContaining({ door: "console", actor_id: admin.id }),
    ]);
    expect((await page(admin, `/console/entities/${lyon}?done=created`)).html).toContain("The entity was created.");

    const blank = await post(admin, "/console/entities", { name: "   ", parentId: europe });
    expect(blank.status).toBe(400);
    expect(errorBeside(await blank.text(), "name")).toBe("is required and must not be empty");

    expect((await post(admin, `/console/entities/${lyon}/rename`, { name: "Lyon" })).status).toBe(303);
    expect((await t.ds.query("SELECT name FROM entities WHERE id = $1", [lyon]))[0].name).toBe("Lyon");

    expect((await post(admin, `/console/entities/${lyon}/move`, { parentId: root })).status).toBe(303);
    expect((await t.ds.query("SELECT parent_id FROM entities WHERE id = $1", [lyon]))[0].parent_id).toBe(root);

    const cycle = await post(admin, `/console/entities/${root}/move`, { parentId: europe });
    expect(cycle.status).toBe(409);
    const html = await cycle.text();
    expect(errorBeside(html, "parentId")).toContain("cannot move below itself or one of its own sub-entities");
    expect((await t.ds.query("SELECT parent_id FROM entities WHERE id = $1", [root]))[0].parent_id).toBeNull();

    const nonsense = await post(admin, `/console/entities/${lyon}/move`, { parentId: "not-an-id" });
    expect(nonsense.status).toBe(400);
    expect(errorBeside(await nonsense.text(), "parentId")).toBe("choose one of the list");
  });

  it("a limited admin sees their part of the tree only and cannot act outside it; an auditor only reads", async () => {
    const root = await entity(t, "Scoped Holding");
    const france = await entity(t, "France branch", root);
    const lille = await entity(t, "Lille branch", france);
    const spain = await entity(t, "Spain branch", root);
    const limited = await signedIn("admin", [france]);

    const tree = await page(limited, "/console/entities");
    expect(tree.html).toContain("France branch");
    expect(tree.html).toContain("Lille branch");
    expect(tree.html).not.toContain("Spain branch");
    expect(tree.html).not.toContain("Scoped Holding");
    expect(tree.html).not.toContain("(top level)");

    expect((await page(limited, `/console/entities/${spain}`)).status).toBe(404);
    expect((await post(limited, `/console/entities/${spain}/rename`, { name: "Mine" })).status).toBe(404);
    const out = await post(limited, "/console/entities", { name: "Madrid", parentId: spain });
    expect(out.status).toBe(403);
    expect(errorBeside(await out.text(), "parentId")).toBe("parentId is outside your admin scope");
    const up = await post(limited, `/console/entities/${lille}/move`, { parentId: "" });
    expect(up.status).toBe(403);
    expect((await t.ds.query("SELECT count(*)::int AS n FROM entities WHERE name IN ('Madrid', 'Mine')"))[0].n).toBe(0);
    expect((await post(limited, "/console/entities", { name: "Roubaix", parentId: lille })).status).toBe(303);

    const auditor = await signedIn("auditor");
    const seen = await page(auditor, "/console/entities");
    expect(seen.html).toContain("Spain branch");
    expect(seen.html).not.toContain('action="/console/entities"');
    expect((await page(auditor, `/console/entities/${spain}`)).html).not.toContain("/rename");
    expect((await post(auditor, `/console/entities/${spain}/rename`, { name: "Nope" })).status).toBe(403);
    expect((await t.ds.query("SELECT name FROM entities WHERE id = $1", [spain]))[0].name).toBe("Spain branch");
  });
});

describe("groups: members added and removed", () => {
  it("finds a group by name, adds people by userName and email, and from a person search, then removes one", async () => {
    const group = await scimGroup(t, "Console Crew");
    const ann = await person(t);
    const bob = await person(t);
    const cid = await person(t, { givenName: "Cidonie", familyName: "Quartz" });

    const list = await page(admin, "/console/groups?q=console%20cr");
    expect(list.html).toContain(`href="/console/groups/${group}"`);
    expect(list.html).toContain("Console Crew");
    expect((await page(admin, "/console/groups?q=nothing-like-it")).html).toContain("No group matches.");

    const added = await post(admin, `/console/groups/${group}/members`, {
      names: `${ann.userName}\n${bob.email.toUpperCase()}\n`,
    });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe(`/console/groups/${group}?done=added&added=2&already=0`);
    expect(await memberIds(t, group)).toEqual([ann.id, bob.id].sort());
    const [audit] = await auditOf("membership.added", group);
    expect(audit).toEqual(expect.objectContaining({ door: "console", actor_id: admin.id }));
    expect(audit.changes.members).toEqual([ann.id, bob.id].sort());

    const shown = await page(admin, `/console/groups/${group}?done=added&added=2&already=0`);
    expect(shown.html).toContain("2 added to the group.");
    expect(shown.html).toContain(ann.userName);
    expect(shown.html).toContain("Groups come from your identity provider");

    const unknown = await post(admin, `/console/groups/${group}/members`, { names: "nobody@nowhere.test" });
    expect(unknown.status).toBe(400);
    const unknownHtml = await unknown.text();
    expect(errorBeside(unknownHtml, "names")).toBe("'nobody@nowhere.test' names no person you may reach");
    expect(unknownHtml).toContain("nobody@nowhere.test</textarea>");

    const found = await page(admin, `/console/groups/${group}?find=cidonie%20quartz`);
    expect(found.html).toContain(`name="ids" value="${cid.id}"`);
    expect(found.html).toContain('aria-label="Add Cidonie Quartz');
    expect(
      (await post(admin, `/console/groups/${group}/members`, { ids: [cid.id, ann.id] })).headers.get("location"),
    ).toBe(`/console/groups/${group}?done=added&added=1&already=1`);
    expect(await memberIds(t, group)).toEqual([ann.id, bob.id, cid.id].sort());

    const removed = await post(admin, `/console/groups/${group}/members/${bob.id}/remove`, {});
    expect(removed.status).toBe(303);
    expect(await memberIds(t, group)).toEqual([ann.id, cid.id].sort());
    expect(await auditOf("membership.removed", group)).toEqual([
      expect.objectContaining({ door: "console", actor_id: admin.id, changes: { members: [bob.id] } }),
    ]);
  });

  it("a limited admin adds and sees only people of their entities; an auditor reads without forms", async () => {
    const france = await entity(t, "Groups France");
    const spain = await entity(t, "Groups Spain");
    const inside = await person(t, { entityId: france });
    const outside = await person(t, { entityId: spain });
    const group = await scimGroup(t);
    await t.admin.post(`/groups/${group}/members`, { ids: [outside.id] }).expect(200);
    const limited = await signedIn("admin", [france]);

    const refused = await post(limited, `/console/groups/${group}/members`, { names: outside.userName });
    expect(refused.status).toBe(400);
    expect(errorBeside(await refused.text(), "names")).toContain("names no person you may reach");
    expect((await post(limited, `/console/groups/${group}/members`, { names: inside.email })).status).toBe(303);
    const seen = await page(limited, `/console/groups/${group}`);
    expect(seen.html).toContain(inside.userName);
    expect(seen.html).not.toContain(outside.userName);
    expect((await post(limited, `/console/groups/${group}/members/${outside.id}/remove`, {})).status).toBe(404);
    expect(await memberIds(t, group)).toEqual([inside.id, outside.id].sort());

    const auditor = await signedIn("auditor");
    const read = await page(auditor, `/console/groups/${group}`);
    expect(read.html).toContain(outside.userName);
    expect(read.html).not.toContain("/remove");
    expect(read.html).not.toContain('name="names"');
    expect((await post(auditor, `/console/groups/${group}/members/${inside.id}/remove`, {})).status).toBe(403);
    expect(await memberIds(t, group)).toEqual([inside.id, outside.id].sort());
  });
});

describe("the audit log page", () => {
  it("filters narrow the list (door console finds console actions), bad filters are named beside their field", async () => {
    const created = await post(admin, "/console/entities", { name: "Audited office", parentId: "" });
    const id = /entities\/([0-9a-f-]{36})/.exec(created.headers.get("location") ?? "")![1];
    await entity(t, "Made through the API");

    const all = await page(admin, "/console/audit");
    expect(all.status).toBe(200);
    expect(all.html).toContain("<td>admin</td>");
    const consoleOnly = await page(admin, "/console/audit?door=console&action=entity.*");
    expect(consoleOnly.html).toContain(`href="/console/entities/${id}"`);
    expect(consoleOnly.html).toContain("<td>console</td>");
    expect(consoleOnly.html).not.toContain("<td>admin</td>");
    expect(consoleOnly.html).not.toContain("Made through the API");
    expect(consoleOnly.html).toContain(`/console/audit/export?door=console&amp;action=entity.*&amp;format=csv`);

    const later = await page(admin, "/console/audit?door=console&from=2999-01-01T00:00");
    expect(later.html).toContain("No record matches.");
    const bad = await page(admin, "/console/audit?user=someone&from=2026-02-01T00:00&to=2026-01-01T00:00");
    expect(bad.status).toBe(400);
    expect(errorBeside(bad.html, "user")).toBe("must be a UUID");
    expect(bad.html).toContain('value="someone"');
  });

  it("pages older records by cursor, 50 to a page, keeping the filters", async () => {
    const pager = await signedIn("admin");
    for (let n = 0; n < 51; n++) await post(pager, "/console/entities", { name: `Paged ${n}`, parentId: "" });
    const seqsOf = (html: string) => [...html.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    const first = await page(pager, `/console/audit?actor=${pager.id}`);
    const firstSeqs = seqsOf(first.html);
    expect(firstSeqs).toHaveLength(50);
    expect([...firstSeqs].sort((a, b) => b - a)).toEqual(firstSeqs);
    const next = /href="([^"]+)" rel="next"/.exec(first.html)![1].replace(/&amp;/g, "&");
    expect(next).toContain(`actor=${pager.id}`);
    const second = await page(pager, next);
    const secondSeqs = seqsOf(second.html);
    expect(secondSeqs.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...secondSeqs)).toBeLessThan(Math.min(...firstSeqs));
    expect(second.html).toContain('rel="prev"');
  });

  it("exports what the filters select as CSV and NDJSON downloads", async () => {
    const csv = await admin.browser.get("/console/audit/export?door=console&action=entity.created&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^seq,id,at,actor_type,actor_id,actor_name,door,action/);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(",console,entity.created,");

    const nd = await admin.browser.get("/console/audit/export?door=console&format=ndjson");
    expect(nd.headers.get("content-type")).toContain("application/x-ndjson");
    const records = (await nd.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.every((r: { door: string }) => r.door === "console")).toBe(true);
    const xml = await admin.browser.get("/console/audit/export?format=xml");
    expect(xml.status).toBe(400);
    expect(await xml.text()).toContain("format: ");
  });

  it("shows the chain verified (a fragment for htmx, a page without JavaScript); a limited reader is not given it", async () => {
    const shown = await page(admin, "/console/audit");
    expect(shown.html).toContain('hx-get="/console/audit/chain"');
    const full = await page(admin, "/console/audit/chain");
    expect(full.status).toBe(200);
    expect(full.html).toMatch(/Verified: the [\d,]+ records up to No\. \d+ each follow the one before/);
    const fragment = await admin.browser.request("/console/audit/chain", { headers: { "hx-request": "true" } });
    const html = await fragment.text();
    expect(html.startsWith('<div id="chain" role="status"')).toBe(true);

    const france = await entity(t, "Audit France");
    const limited = await signedIn("auditor", [france]);
    expect((await page(limited, "/console/audit")).html).toContain("The chain spans the whole organisation");
    expect((await page(limited, "/console/audit/chain")).status).toBe(403);
  });

  it("a limited reader sees only the records about people of their entities", async () => {
    const france = await entity(t, "Audit scope France");
    const inside = await person(t, { entityId: france });
    const outside = await person(t);
    const limited = await signedIn("admin", [france]);
    const seen = await page(limited, "/console/audit?action=user.created");
    expect(seen.html).toContain(inside.id);
    expect(seen.html).not.toContain(outside.id);
  });
});
