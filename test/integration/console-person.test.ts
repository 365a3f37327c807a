import type { Server } from "node:http";
import type { TestApp } from "../support/app";
import { entity, person } from "../support/admin-fixtures";
import { consolePerson, csrfOf, signInToConsole } from "../support/console";
import { GROUP_SCHEMA, uniqueGroupName } from "../support/factories";
import { startProviderApp } from "../support/oidc-browser";

let t: TestApp;
let base: string;
let server: Server;

beforeAll(async () => {
  ({ t, base, server } = await startProviderApp());
});
afterAll(async () => {
  server.close();
  await t.close();
});

/** An admin (or auditor) signed in to the console: their browser and the CSRF token of their pages. */
async function signedIn(role: "admin" | "auditor" = "admin", adminScope?: string[]) {
  const who = await consolePerson(t.ds, role, { adminScope });
  const { browser, body } = await signInToConsole(base, "/console", who.userName);
  return { who, browser, csrf: csrfOf(body) };
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");

describe("a person's page in the console", () => {
  it("shows every fact: names, emails, entity, role and what it allows, groups, last connection, enrolment, source", async () => {
    const sales = await entity(t, `Sales ${Date.now()}`);
    const member = await consolePerson(t.ds, "member");
    // A real sign-in on Roster's provider (the console then refuses a member, but the connection is recorded).
    expect((await signInToConsole(base, "/console", member.userName)).res.status).toBe(403);
    expect((await t.admin.patch(`/users/${member.id}`, { entityId: sales, language: "fr" })).status).toBe(200);
    const group = uniqueGroupName("Team");
    expect(
      (await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: group, members: [{ value: member.id }] }))
        .status,
    ).toBe(201);

    const { browser } = await signedIn();
    const res = await browser.get(`/console/people/${member.id}`);
    expect(res.status).toBe(200);
    const page = text(await res.text());
    for (const fact of [member.id, member.userName, member.email, "Ada", "Lovelace", "Sales", group, "fr", "member"])
      expect(page).toContain(fact);
    expect(page).toContain("no administration rights");
    expect(page).toMatch(/Last connection \d{1,2} \w{3} \d{4}/);
    expect(page).toContain("identity provider (SCIM)");
    expect(page).toContain("internal");
    expect(page).toMatch(/Enrolment joined on \d{1,2} \w{3} \d{4}/);
    expect(page).toContain("active");
    expect(page).toContain("Audit trail");
    expect(page).toMatch(/auth sign_in\.succeeded/);
    expect(page).toMatch(/admin user\.updated entityId/);
  });

  it("deactivates a person (door console) and the audit trail shows it; activates them again", async () => {
    const p = await person(t);
    const { who, browser, csrf } = await signedIn();
    const res = await browser.post(`/console/people/${p.id}/deactivate`, { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/console/people/${p.id}?done=deactivated`);
    const [row] = await t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]);
    expect(row.active).toBe(false);
    const [audit] = await t.ds.query(
      "SELECT door, actor_id FROM audit_events WHERE target_id = $1 AND action = 'user.deactivated'",
      [p.id],
    );
    expect(audit).toEqual({ door: "console", actor_id: who.id });

    const page = text(await (await browser.get(`/console/people/${p.id}?done=deactivated`)).text());
    expect(page).toContain("Account deactivated");
    expect(page).toContain("deactivated");
    expect(page).toMatch(/user\.deactivated/);
    expect(page).toContain(who.userName);

    expect((await browser.post(`/console/people/${p.id}/activate`, { _csrf: csrf })).status).toBe(303);
    const [after] = await t.ds.query("SELECT active FROM users WHERE id = $1", [p.id]);
    expect(after.active).toBe(true);
  });

  it("invites a person, and refuses with the reason once they have joined", async () => {
    const p = await person(t);
    const { browser, csrf } = await signedIn();
    const sent = await browser.post(`/console/people/${p.id}/invitation`, { _csrf: csrf });
    expect(sent.status).toBe(303);
    const [inv] = await t.ds.query("SELECT door FROM invitations WHERE user_id = $1", [p.id]);
    expect(inv.door).toBe("console");
    const page = text(await (await browser.get(`/console/people/${p.id}`)).text());
    expect(page).toContain("Resend the invitation");

    await t.ds.query("UPDATE users SET enrolled_at = now() WHERE id = $1", [p.id]);
    const joined = text(await (await browser.get(`/console/people/${p.id}`)).text());
    expect(joined).toContain("Already joined on");
    expect(joined).not.toContain("Resend the invitation");
    const refused = await browser.post(`/console/people/${p.id}/invitation`, { _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain("has already joined: an invitation cannot be sent again");
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM invitations WHERE user_id = $1", [p.id]);
    expect(n).toBe(1);
  });

  it("sets a one-time password: a weak one refused beside the field, a generated one shown once", async () => {
    const p = await person(t);
    const { browser, csrf } = await signedIn();
    const weak = await browser.post(`/console/people/${p.id}/one-time-password`, { _csrf: csrf, password: "abc" });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/id="f-password-error"/);
    const [before] = await t.ds.query("SELECT password_hash FROM users WHERE id = $1", [p.id]);
    expect(before.password_hash).toBeNull();

    const generated = await browser.post(`/console/people/${p.id}/one-time-password`, { _csrf: csrf, password: "" });
    expect(generated.status).toBe(200);
    const shown = /<code>([^<]{12,})<\/code>/.exec(
      (await generated.text()).split("One-time password set.")[1] ?? "",
    )?.[1];
    expect(shown).toBeTruthy();
    const [row] = await t.ds.query("SELECT password_hash, password_must_change FROM users WHERE id = $1", [p.id]);
    expect(row.password_must_change).toBe(true);
    expect(row.password_hash).toBeTruthy();
    const [audit] = await t.ds.query(
      "SELECT door FROM audit_events WHERE target_id = $1 AND action = 'user.password_reset'",
      [p.id],
    );
    expect(audit.door).toBe("console");

    const typed = await browser.post(`/console/people/${p.id}/one-time-password`, {
      _csrf: csrf,
      password: "violet meadow lantern 7731",
    });
    expect(typed.status).toBe(303);
    expect(typed.headers.get("location")).toContain("done=password_set");
  });

  it("keeps an entity-scoped admin to their entities: 404 outside, and no change posted there", async () => {
    const mine = await entity(t, `Mine ${Date.now()}`);
    const other = await entity(t, `Other ${Date.now()}`);
    const inside = await person(t, { entityId: mine });
    const outside = await person(t, { entityId: other });
    const { browser, csrf } = await signedIn("admin", [mine]);
    expect((await browser.get(`/console/people/${inside.id}`)).status).toBe(200);
    expect((await browser.get(`/console/people/${outside.id}`)).status).toBe(404);
    expect((await browser.post(`/console/people/${outside.id}/deactivate`, { _csrf: csrf })).status).toBe(404);
    expect((await browser.post(`/console/people/${outside.id}/invitation`, { _csrf: csrf })).status).toBe(404);
    const [row] = await t.ds.query("SELECT active, invited_at FROM users WHERE id = $1", [outside.id]);
    expect(row).toEqual({ active: true, invited_at: null });
  });

  it("shows auditors the facts without any write control, and refuses their posts", async () => {
    const p = await person(t);
    const { browser, csrf } = await signedIn("auditor");
    const html = await (await browser.get(`/console/people/${p.id}`)).text();
    expect(html).toContain(p.userName);
    for (const control of ["/deactivate", "/invitation", "/one-time-password", "/edit"])
      expect(html).not.toContain(`${p.id}${control}`);
    expect((await browser.post(`/console/people/${p.id}/deactivate`, { _csrf: csrf })).status).toBe(403);
  });

  it("edits a person: an error comes back beside its field with what was typed (400), then the fix is saved (303)", async () => {
    const p = await person(t);
    const { who, browser, csrf } = await signedIn();
    const form = await (await browser.get(`/console/people/${p.id}/edit`)).text();
    const version = /name="version" value="(\d+)"/.exec(form)?.[1] ?? "";
    expect(version).not.toBe("");
    const values = {
      _csrf: csrf,
      version,
      givenName: "Jo",
      familyName: String(p.body.familyName),
      email: p.email,
      userName: p.userName,
      title: "Head of Sales",
    };
    const bad = await browser.post(`/console/people/${p.id}/edit`, values);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/id="f-givenName-error"[^>]*>.*must be at least 3 characters/s);
    expect(badHtml).toContain('value="Head of Sales"');
    const [unchanged] = await t.ds.query("SELECT given_name, title FROM users WHERE id = $1", [p.id]);
    expect(unchanged.title).toBeNull();

    const ok = await browser.post(`/console/people/${p.id}/edit`, { ...values, givenName: "Josephine" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`/console/people/${p.id}?done=saved`);
    const [row] = await t.ds.query("SELECT given_name, title FROM users WHERE id = $1", [p.id]);
    expect(row).toEqual({ given_name: "Josephine", title: "Head of Sales" });
    const [audit] = await t.ds.query(
      "SELECT door, actor_id FROM audit_events WHERE target_id = $1 AND action = 'user.updated' ORDER BY id DESC LIMIT 1",
      [p.id],
    );
    expect(audit).toEqual({ door: "console", actor_id: who.id });

    const stale = await browser.post(`/console/people/${p.id}/edit`, { ...values, givenName: "Josepha" });
    expect(stale.status).toBe(409);
    expect(text(await stale.text())).toContain("Someone changed this person while you were editing");
  });

  it("shows IdP-owned fields locked with why, and refuses a forged post changing one", async () => {
    const member = await consolePerson(t.ds, "member"); // source scim: the IdP owns names, email, userName
    const { browser, csrf } = await signedIn();
    const form = await (await browser.get(`/console/people/${member.id}/edit`)).text();
    expect(form).toMatch(/name="givenName"[^>]*readonly/);
    expect(text(form)).toContain("Kept in sync by the identity provider");
    expect(form).not.toMatch(/name="language"[^>]*readonly/);
    const version = /name="version" value="(\d+)"/.exec(form)?.[1] ?? "";

    const forged = await browser.post(`/console/people/${member.id}/edit`, {
      _csrf: csrf,
      version,
      givenName: "Forged",
      language: "fr",
    });
    expect(forged.status).toBe(409);
    expect(await forged.text()).toMatch(/id="f-givenName-error"[^>]*>.*givenName cannot be changed here/s);
    const [row] = await t.ds.query("SELECT given_name, preferred_language FROM users WHERE id = $1", [member.id]);
    expect(row).toEqual({ given_name: "Ada", preferred_language: null });

    const allowed = await browser.post(`/console/people/${member.id}/edit`, { _csrf: csrf, version, language: "fr" });
    expect(allowed.status).toBe(303);
  });

  it("adds a person: errors beside their fields with what was typed, then the person added (door console)", async () => {
    const { who, browser, csrf } = await signedIn();
    const form = await (await browser.get("/console/people/new")).text();
    expect(form).toContain('action="/console/people/new"');
    const email = `nina.${Date.now()}@corp.test`;
    const typed = {
      _csrf: csrf,
      email,
      givenName: "Nina",
      familyName: "Simone",
      userName: "Nina Simone!",
      invite: "later",
    };
    const badUserName = await browser.post("/console/people/new", typed);
    expect(badUserName.status).toBe(400);
    const html = await badUserName.text();
    expect(html).toMatch(/id="f-userName-error"[^>]*>.*must look like first\.last/s);
    expect(html).toContain(`value="${email}"`);
    expect(html).toContain('value="Simone"');

    const shortName = await browser.post("/console/people/new", { ...typed, userName: "", givenName: "Ni" });
    expect(shortName.status).toBe(400);
    expect(await shortName.text()).toMatch(/id="f-givenName-error"[^>]*>.*must be at least 3 characters/s);
    const [{ n }] = await t.ds.query("SELECT count(*)::int AS n FROM users WHERE emails @> $1::jsonb", [
      JSON.stringify([{ value: email }]),
    ]);
    expect(n).toBe(0);

    const added = await browser.post("/console/people/new", { ...typed, userName: "" });
    expect(added.status).toBe(303);
    const id = /\/console\/people\/([0-9a-f-]{36})\?done=created/.exec(added.headers.get("location") ?? "")?.[1];
    const [row] = await t.ds.query("SELECT user_name, given_name, source FROM users WHERE id = $1", [id]);
    expect(row).toEqual({ user_name: "nina.simone", given_name: "Nina", source: "admin" });
    const [audit] = await t.ds.query(
      "SELECT door, actor_id FROM audit_events WHERE target_id = $1 AND action = 'user.created'",
      [id],
    );
    expect(audit).toEqual({ door: "console", actor_id: who.id });

    const again = await browser.post("/console/people/new", { ...typed, userName: "", givenName: "Other" });
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/id="f-email-error"/);
  });

  it("adds several people from pasted emails: each line's outcome, good lines added despite a bad one", async () => {
    const existing = await person(t);
    const group = uniqueGroupName("Pasted");
    const g = await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: group });
    const stamp = Date.now();
    const pasted = [
      `anna.berg${stamp}@corp.test`,
      "not-an-email",
      "",
      `carl${stamp}@corp.test, Carl, Carlsson`,
      existing.email,
      `ANNA.BERG${stamp}@corp.test`,
    ].join("\n");
    const { browser, csrf } = await signedIn();
    const body = new URLSearchParams({ _csrf: csrf, emails: pasted, language: "fr", role: "member", invite: "later" });
    body.append("groups", g.body.id);
    const res = await browser.request("/console/people/batch", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toContain("2 added, 1 already there, 1 refused, 1 repeated.");
    expect(page).toMatch(/2 not-an-email ✗ refused .*'not-an-email' is not an email address/);
    expect(page).toContain("the same email as line 1");
    const rows = await t.ds.query(
      `SELECT u.given_name, u.preferred_language AS language,
              (SELECT count(*)::int FROM group_members m WHERE m.user_id = u.id AND m.group_id = $3) AS in_group
         FROM users u WHERE u.emails @> $1::jsonb OR u.emails @> $2::jsonb ORDER BY u.created_at`,
      [
        JSON.stringify([{ value: `anna.berg${stamp}@corp.test` }]),
        JSON.stringify([{ value: `carl${stamp}@corp.test` }]),
        g.body.id,
      ],
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((r: { language: string; in_group: number }) => [r.language, r.in_group])).toEqual([
      ["fr", 1],
      ["fr", 1],
    ]);
    expect(rows.map((r: { given_name: string | null }) => r.given_name)).toContain("Carl");
    const [{ n }] = await t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.created' AND door = 'console' AND changes::text ILIKE $1",
      [`%${stamp}@corp.test%`],
    );
    expect(n).toBe(2);
  });

  it("refuses a batch whose shared settings are wrong, beside the setting, keeping the pasted lines", async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.post("/console/people/batch", {
      _csrf: csrf,
      emails: "zed.one@corp.test",
      language: "not a language",
      role: "member",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-language-error"[^>]*>.*is not a language tag/s);
    expect(html).toContain("zed.one@corp.test</textarea>");
    const empty = await browser.post("/console/people/batch", { _csrf: csrf, emails: "  \n" });
    expect(empty.status).toBe(400);
    expect(text(await empty.text())).toContain("Paste at least one email address.");
  });

  it("speaks French to a French browser", async () => {
    const p = await person(t);
    const { browser } = await signedIn();
    const res = await browser.request(`/console/people/${p.id}/edit`, { headers: { "accept-language": "fr" } });
    expect(res.status).toBe(200);
    const page = text(await res.text());
    for (const word of ["Modifier", "Prénom", "Nom d'utilisateur", "Enregistrer", "Personne externe"])
      expect(page).toContain(word);
    const facts = text(
      await (await browser.request(`/console/people/${p.id}`, { headers: { "accept-language": "fr" } })).text(),
    );
    expect(facts).toContain("Dernière connexion jamais");
    expect(facts).toContain("Historique d'audit");
  });
});
