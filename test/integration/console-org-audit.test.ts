import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { entity, person } from "../support/admin-fixtures";
import { type ConsoleUser, consoleForms, errorBeside } from "../support/console-forms";
import { startProviderApp } from "../support/oidc-browser";

/**
 * The console's audit log page over real HTTP (no browser): filters, paging, export, the chain's verification, as a full
 * admin, a limited reader and an auditor. The entity and group pages: console-org.test.ts.
 */
let t: TestApp;
let base: string;
let server: Server;
let admin: ConsoleUser;
const { signedIn, post, page } = consoleForms(() => ({ t, base }));

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
  admin = await signedIn("admin");
});
afterAll(async () => {
  server.close();
  await t.close();
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
