import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tsFiles } from "../support/table-ownership";

/**
 * One way to run a write (src/domain/unit-of-work.ts): it alone opens a transaction (unitOfWork) and writes the audit
 * records and outbox events of a change (writeIn, recordIn, writeAlone and their derived twins). src/db is the infrastructure under it.
 */
const UNIT_OF_WORK = "src/domain/unit-of-work.ts";
/** The owners' INSERT texts, which only the unit of work runs. */
const FRAGMENTS = ["src/domain/audit-log/audit.fragments.ts", "src/domain/outbox/outbox.fragments.ts"];

const RULES: { pattern: RegExp; what: string; allowed?: string[] }[] = [
  { pattern: /\.transaction\(|\b(?:startTransaction|createQueryRunner)\(/g, what: "opens a transaction" },
  { pattern: /\b(?:BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT)\b/g, what: "runs transaction control SQL" },
  { pattern: /\b(?:auditInsertCte|auditRowsInsertCte|outboxInsertCte)\(/g, what: "writes audit or outbox rows" },
  {
    pattern: /\bINSERT\s+INTO\s+"?(?:audit_events|outbox)\b/g,
    what: "writes audit or outbox rows",
    allowed: FRAGMENTS,
  },
];

function unitOfWorkViolations(file: string, source: string): string[] {
  if (file === UNIT_OF_WORK || file.startsWith("src/db/")) return [];
  const found: string[] = [];
  for (const rule of RULES) {
    if (rule.allowed?.includes(file)) continue;
    for (const m of source.matchAll(rule.pattern)) {
      const line = source.slice(0, m.index).split("\n").length;
      found.push(`${file}:${line} ${rule.what} (${m[0]}) outside ${UNIT_OF_WORK}`);
    }
  }
  return found;
}

describe("one way to run a write: the unit of work", () => {
  it("no file of src/ but unit-of-work.ts (and src/db) opens a transaction or writes audit or outbox rows", () => {
    const root = join(__dirname, "../..");
    const found = tsFiles(root, "src").flatMap((f) => unitOfWorkViolations(f, readFileSync(join(root, f), "utf8")));
    expect(found).toEqual([]);
  });

  it("catches a planted violation of each kind; lets the unit of work, src/db and the owners' INSERT texts be", () => {
    const planted = [
      ["src/domain/tokens/tokens.service.ts", "return this.ds.transaction(async (m) => m.query(q));"],
      ["src/domain/jobs/jobs.service.ts", "const r = ds.createQueryRunner();\nawait r.startTransaction();"],
      ["src/domain/outbox/outbox.queue.ts", "await sql(m, `BEGIN`);\nawait sql(m, 'COMMIT');"],
      ["src/domain/groups/memberships.ts", 'await sql(tx.manager, auditInsertCte("$1", "true"), [records]);'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a planted source line, written as the text a file would hold
      ["src/worker/x.ts", 'const q = `WITH o AS (${outboxInsertCte("$2", "true")}) SELECT 1`;'],
      ["src/domain/audit-log/audit-log.service.ts", "await sql(m, `INSERT INTO audit_events (action) VALUES ($1)`);"],
      ["src/domain/outbox/outbox.queue.ts", "await sql(m, `INSERT INTO outbox (topic) VALUES ($1)`, [t]);"],
    ];
    const found = planted.map(([file, source]) => unitOfWorkViolations(file, source));
    expect(found.map((f) => f.length)).toEqual([1, 2, 2, 1, 1, 1, 1]);
    expect(found[0][0]).toBe(
      `src/domain/tokens/tokens.service.ts:1 opens a transaction (.transaction() outside ${UNIT_OF_WORK}`,
    );
    expect(found[2][1]).toMatch(/^src\/domain\/outbox\/outbox.queue.ts:2 runs transaction control SQL \(COMMIT\)/);

    const allowed = [
      [UNIT_OF_WORK, "await ds.transaction(fn); auditInsertCte(`$1`, g); outboxInsertCte(`$2`, g);"],
      ["src/db/database.ts", "await client.query('BEGIN');"],
      [FRAGMENTS[0], "export const auditInsertCte = (p: string) => `INSERT INTO audit_events (action) SELECT ...`;"],
      [FRAGMENTS[1], "export const outboxInsertCte = (p: string) => `INSERT INTO outbox (topic) SELECT ...`;"],
      ["src/domain/outbox/outbox.queue.ts", "// its READ COMMITTED snapshot; UPDATE outbox SET processed_at = now()"],
    ];
    expect(allowed.flatMap(([file, source]) => unitOfWorkViolations(file, source))).toEqual([]);
  });
});
