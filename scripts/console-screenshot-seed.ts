// The sample organisation `npm run screenshots` pictures, written through the same use cases as the admin API (and the
// real worker for what runs in the background), so every console page has something realistic to show.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Services } from "../src/composition";
import { type Ctx, systemActor } from "../src/domain/context";
import type { ImportOptions, TableRow } from "../src/domain/imports/import";

const ctx: Ctx = { actor: { ...systemActor, name: "cli:screenshots" }, door: "cli", requestId: null };

/** The ids the page list's paths name (`{person}`, `{job}`, ...), filled in by `seed`. */
export type Seeded = Record<string, string>;

const PEOPLE = [
  ["Ada", "Lovelace", "eng"],
  ["Alan", "Turing", "eng"],
  ["Grace", "Hopper", "eng"],
  ["Hélène", "Dubois", "sales"],
  ["Marc", "Lefèvre", "sales"],
  ["Yuki", "Tanaka", "emea"],
  ["Chloé", "Martin", "acme"],
  ["Olu", "Adeyemi", "support"],
  ["Sofía", "García", "support"],
] as const;

/** A messy export from an HR tool: French labels, a column nobody needs. */
const HR_EXPORT = [
  ["Prénom", "Nom", "Courriel", "Service", "Matricule", "Commentaire"],
  ["Léa", "Fontaine", "lea.fontaine@example.com", "Ventes", "E-1042", "arrivée lundi"],
  ["Tomás", "Ribeiro", "tomas.ribeiro@example.com", "Support", "E-1043", ""],
  ["Ines", "Haddad", "ines.haddad@example", "Support", "E-1044", "adresse à vérifier"],
  ["Noah", "Keller", "noah.keller@example.com", "R&D", "E-1045", ""],
];

async function* rowsOf(table: string[][]): AsyncIterable<TableRow> {
  for (const [i, cells] of table.entries()) yield { cells, line: i + 1 };
}

const email = (given: string, family: string) =>
  `${given}.${family}`.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

async function until<T>(what: string, read: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`screenshots: ${what} did not finish in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A webhook receiver on loopback that takes every delivery (the screenshots' machine reaches nothing else). */
export async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => req.resume().on("end", () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/roster`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Entities, people, groups, API tokens (one used), a webhook with deliveries, a company SSO connection (Roster's own
 * provider stands in for the company's), a finished mass invitation, an import waiting at its mapping step and one run.
 * The worker must be running (jobs, deliveries, imports); `base` is the app's address.
 */
export async function seed(s: Services, base: string, webhookUrl: string): Promise<Seeded> {
  const entity = async (name: string, parentId: string | null) =>
    (await s.entities.create(ctx, { name, parentId, externalKey: null })).id;
  const acme = await entity("Acme", null);
  const ids: Record<string, string> = { acme };
  ids.eng = await entity("Engineering", acme);
  ids.sales = await entity("Sales", acme);
  ids.emea = await entity("Sales EMEA", ids.sales);
  ids.support = await entity("Customer support", acme);

  const hook = await s.webhooks.create(ctx, {
    url: webhookUrl,
    events: ["user.created", "user.updated", "user.deactivated"],
    description: "HR data warehouse",
  });
  const people: string[] = [];
  for (const [givenName, familyName, at] of PEOPLE) {
    const input = { email: `${email(givenName, familyName)}@example.com`, givenName, familyName, entityId: ids[at] };
    people.push((await s.people.create(ctx, input)).user.id);
  }
  await s.groups.create(ctx, { displayName: "Engineering all-hands", externalId: null }, people.slice(0, 3));
  await s.groups.create(ctx, { displayName: "Sales EMEA", externalId: null }, people.slice(3, 6));
  await s.groups.create(ctx, { displayName: "On-call rota", externalId: null }, [people[1], people[7]]);

  // two API tokens, the identity provider's used once (its last use shown)
  const idp = await s.tokens.create(ctx, "okta-provisioning", "scim");
  await s.tokens.create(ctx, "hr-reporting", "auditor");
  await fetch(`${base}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${idp.token}` } });

  await s.ssoConnections
    .create(ctx, {
      name: "Acme Entra ID",
      issuer: base,
      clientId: "roster-console-demo",
      clientSecret: "not-a-real-secret",
      jit: { enabled: true, allowedDomains: ["example.com"], defaultEntityId: acme },
    })
    .catch((e: unknown) => process.stderr.write(`screenshots: no SSO connection (${String(e)})\n`));

  // a mass invitation of the support team, worked through by the worker
  const job = await s.jobs.enqueueUsersAction(ctx, "invite", { ids: people.slice(6) });
  await until("the mass invitation", async () => {
    const j = await s.jobs.get(ctx, job.id);
    return j.status === "done" ? j : null;
  });

  const options: ImportOptions = {
    mode: "upsert",
    dryRun: true,
    mapping: {},
    invite: "later",
    language: "fr",
    role: "member",
    entityId: ids.support,
    groupIds: [],
    confirm: false,
  };
  const file = (name: string) => ({ name, format: "csv" as const, rows: rowsOf(HR_EXPORT) });
  const staged = await s.importReruns.stage(ctx, options, file("export-rh-mars.csv"));
  const toRun = await s.importReruns.stage(ctx, options, file("export-rh-fevrier.csv"));
  const run = await s.importReruns.startFrom(ctx, toRun.id, { dryRun: false, mapping: null });
  await until("the import", async () => {
    const i = await s.imports.get(ctx, run.id);
    return ["succeeded", "failed", "cancelled"].includes(i.status) ? i : null;
  });
  await until("the webhook deliveries", async () => {
    const d = await s.webhooks.deliveriesOf(ctx, hook.webhook.id, "delivered", null, 1);
    return d.items.length > 0 ? d : null;
  });

  return {
    person: people[0],
    job: job.id,
    staged: staged.id,
    import: run.id,
    webhook: hook.webhook.id,
    entity: ids.sales,
  };
}
