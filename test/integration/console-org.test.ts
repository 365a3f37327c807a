import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { entity, person } from "../support/admin-fixtures";
import { type ConsoleUser, consoleForms, errorBeside } from "../support/console-forms";
import { memberIds, scimGroup } from "../support/group-fixtures";
import { startProviderApp } from "../support/oidc-browser";

/**
 * The console's entity and group pages over real HTTP (no browser): the tree and its forms, group members, as a full
 * admin, an admin limited to part of the tree, and an auditor. The audit log page: console-org-audit.test.ts.
 */
let t: TestApp;
let base: string;
let server: Server;
let admin: ConsoleUser;
const { signedIn, post, page, auditOf } = consoleForms(() => ({ t, base }));

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  admin = await signedIn("admin");
});
afterAll(async () => {
  server.close();
  await t.close();
});

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
