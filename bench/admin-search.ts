import type { Pool } from "pg";
import type { Load } from "./workloads";

const GIVEN = [
  "Élodie",
  "François",
  "José",
  "Zoë",
  "Søren",
  "Chloé",
  "Jérôme",
  "Anaïs",
  "Marie",
  "Jean",
  "Pierre",
  "Luc",
  "Ana",
  "Mohamed",
  "Olga",
  "Björn",
  "Inès",
  "Paul",
  "Léa",
  "Hugo",
];
/** 100 family names (so each is about 1% of the users), many with accents. */
const FAMILY = [
  "Dupont",
  "Lefèvre",
  "Müller",
  "García",
  "Çelik",
  "Nguyễn",
  "Østergaard",
  "Fernández",
  "Šimek",
  "Martin",
  "Bernard",
  "Moreau",
  "Laurent",
  "Rousseau",
  "Petit",
  "Durand",
  "Leroy",
  "Fournier",
  "Girard",
  "Bonnet",
  "Dubois",
  "Lambert",
  "Fontaine",
  "Chevalier",
  "Robin",
  "Gauthier",
  "Perrin",
  "Morel",
  "Mercier",
  "Blanc",
  "Guérin",
  "Boyer",
  "Garnier",
  "Faure",
  "André",
  "Roussel",
  "Schmidt",
  "Schneider",
  "Fischer",
  "Weber",
  "Meyer",
  "Wagner",
  "Becker",
  "Hoffmann",
  "Schäfer",
  "Koch",
  "Richter",
  "Klein",
  "Wolf",
  "Schröder",
  "Rossi",
  "Russo",
  "Ferrari",
  "Esposito",
  "Bianchi",
  "Romano",
  "Colombo",
  "Ricci",
  "Marino",
  "Greco",
  "López",
  "Sánchez",
  "Pérez",
  "Gómez",
  "Díaz",
  "Álvarez",
  "Muñoz",
  "Romero",
  "Alonso",
  "Gutiérrez",
  "Navarro",
  "Torres",
  "Domínguez",
  "Vázquez",
  "Ramos",
  "Gil",
  "Ramírez",
  "Serrano",
  "Blanco",
  "Suárez",
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Miller",
  "Davis",
  "Wilson",
  "Anderson",
  "Taylor",
  "Thomas",
  "Moore",
  "Jackson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Walker",
  "Hall",
  "Young",
];
/** What the text workloads type: family names without their accents, any case. */
const TYPED = [
  "dupont",
  "LEFEVRE",
  "muller",
  "Garcia",
  "celik",
  "nguyen",
  "fernandez",
  "simek",
  "schafer",
  "gomez",
  "perez",
  "Guerin",
];

const literal = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ")}]`;

/**
 * Seeds `n` users for the admin search in one INSERT … SELECT: varied names with accents, 5% deactivated, ~3% with an
 * invitation pending, most enrolled, ~70% of those having signed in, 5% external, sources 80% scim / 10% admin / 4% csv /
 * 4% jit / 2% signup, spread over 20 entities (10% in none). Each attribute draws on its own hash of the row number.
 */
export async function seedAdminSearch(
  pool: Pool,
  n: number,
  runId: string,
): Promise<{ insertSeconds: number; analyzeSeconds: number }> {
  const t0 = performance.now();
  await pool.query(`INSERT INTO entities (name) SELECT 'bench-${runId}-' || g FROM generate_series(1, 20) g`);
  await pool.query(
    `
    INSERT INTO users (user_name, source, emails, given_name, family_name, active, invited_at, enrolled_at, last_login_at, external, entity_id, created_at)
    SELECT un, src, jsonb_build_array(jsonb_build_object('value', un, 'type', 'work', 'primary', true)), gn, fn,
           h(g, 2) % 100 >= 5,
           CASE WHEN h(g, 3) % 10 = 0 THEN now() - interval '3 days' END,
           CASE WHEN h(g, 3) % 10 = 0 AND h(g, 4) % 3 <> 0 THEN NULL WHEN h(g, 4) % 7 = 0 THEN NULL ELSE now() - interval '30 days' END,
           CASE WHEN h(g, 5) % 10 < 7 AND h(g, 4) % 7 <> 0 THEN now() - (h(g, 5) % 1000) * interval '1 hour' END,
           h(g, 6) % 20 = 0,
           CASE WHEN h(g, 7) % 10 = 3 THEN NULL ELSE ents[1 + h(g, 7) % 20] END,
           now() - g * interval '1 second'
    FROM (SELECT array_agg(id ORDER BY name) AS ents FROM entities WHERE name LIKE 'bench-${runId}-%') e,
         generate_series(1, ${n}) g,
         LATERAL (SELECT (${literal(GIVEN)})[1 + h(g, 1) % ${GIVEN.length}] AS gn, (${literal(FAMILY)})[1 + h(g, 0) % ${FAMILY.length}] AS fn,
                         CASE WHEN h(g, 8) % 50 < 40 THEN 'scim' WHEN h(g, 8) % 50 < 45 THEN 'admin' WHEN h(g, 8) % 50 < 47 THEN 'csv'
                              WHEN h(g, 8) % 50 < 49 THEN 'jit' ELSE 'signup' END AS src) x,
         LATERAL (SELECT roster_fold(gn) || '.' || regexp_replace(roster_fold(fn), '[^a-z]', '', 'g') || g || '.${runId}@corp.example' AS un) y`.replace(
      /h\(g, (\d)\)/g,
      (_m, k) => `abs(hashint4(g + ${Number(k) * 100_000_000})::bigint)`,
    ),
  );
  const t1 = performance.now();
  await pool.query("VACUUM ANALYZE users");
  return { insertSeconds: (t1 - t0) / 1000, analyzeSeconds: (performance.now() - t1) / 1000 };
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

interface Page {
  items: {
    familyName: string | null;
    active: boolean;
    source: string;
    invitedAt: string | null;
    enrolledAt: string | null;
  }[];
}

function pageWith(body: string, check: (i: Page["items"][number]) => boolean): boolean {
  const page = JSON.parse(body) as Page;
  return page.items.length > 0 && page.items.every(check);
}

/** GET /admin/v1/users: a text query, a status filter, and both together; each request varies the name or the sort. */
export function adminSearchLoads(baseUrl: string, token: string): Load[] {
  const url = `${baseUrl}/admin/v1/users`;
  const headers = { authorization: `Bearer ${token}` };
  const sorts = ["userName", "familyName", "-createdAt", "-lastLoginAt"];
  const rotating = (
    name: string,
    path: (k: number) => { path: string; term?: string },
    check: (i: Page["items"][number], term?: string) => boolean,
  ): Load => {
    let k = 0;
    return {
      name,
      url,
      verifyBody: (b, ctx) => pageWith(b, (i) => check(i, ctx.term as string | undefined)),
      requests: [
        {
          method: "GET",
          headers,
          setupRequest: (req, ctx) => {
            const p = path(k++);
            (ctx as Record<string, unknown>).term = p.term;
            return { ...req, path: p.path };
          },
        },
      ],
    };
  };
  const hasName = (i: Page["items"][number], term?: string) => fold(i.familyName ?? "").includes(fold(term ?? ""));
  return [
    rotating(
      "admin search: text (q=<family name>, ~1% each)",
      (k) => {
        const term = TYPED[k % TYPED.length];
        return { path: `/admin/v1/users?q=${encodeURIComponent(term)}&limit=50`, term };
      },
      hasName,
    ),
    rotating(
      "admin search: status=invited (~3%)",
      (k) => ({ path: `/admin/v1/users?status=invited&sort=${sorts[k % sorts.length]}&limit=50` }),
      (i) => i.invitedAt !== null && i.enrolledAt === null,
    ),
    rotating(
      "admin search: q + status=active + source=scim",
      (k) => {
        const term = TYPED[k % TYPED.length];
        return {
          path: `/admin/v1/users?q=${encodeURIComponent(term)}&status=active&source=scim&sort=familyName&limit=50`,
          term,
        };
      },
      (i, term) => hasName(i, term) && i.active && i.source === "scim",
    ),
  ];
}
