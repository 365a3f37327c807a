import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";

/** A person as the admin search sees one; everything not given takes a plain default. */
export interface PersonSeed {
  userName?: string;
  givenName?: string | null;
  familyName?: string | null;
  emails?: string[];
  active?: boolean;
  source?: "scim" | "admin" | "csv" | "jit" | "signup";
  external?: boolean;
  entityId?: string | null;
  role?: "member" | "admin" | "auditor";
  adminScope?: string[];
  invitedAt?: Date | null;
  enrolledAt?: Date | null;
  lastLoginAt?: Date | null;
  createdAt?: Date;
}

/** Inserts a user row directly (fixtures, not the thing under test); returns its id and userName. */
export async function seedPerson(ds: DataSource, p: PersonSeed = {}): Promise<{ id: string; userName: string }> {
  const userName = p.userName ?? `p.${randomBytes(4).toString("hex")}@corp.test`;
  const emails = (p.emails ?? [userName]).map((value, i) => ({
    value,
    type: i === 0 ? "work" : "home",
    primary: i === 0,
  }));
  const [row] = await ds.query(
    `INSERT INTO users (user_name, given_name, family_name, emails, active, source, external, entity_id, system_role, admin_scope,
                        invited_at, enrolled_at, last_login_at, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10::uuid[], $11, $12, $13, $14) RETURNING id`,
    [
      userName,
      p.givenName === undefined ? "Ada" : p.givenName,
      p.familyName === undefined ? "Lovelace" : p.familyName,
      JSON.stringify(emails),
      p.active ?? true,
      p.source ?? "scim",
      p.external ?? false,
      p.entityId ?? null,
      p.role ?? "member",
      p.adminScope ?? [],
      p.invitedAt ?? null,
      p.enrolledAt ?? null,
      p.lastLoginAt ?? null,
      p.createdAt ?? new Date(),
    ],
  );
  return { id: row.id, userName };
}

/** An entity with a unique name (entities are not emptied between test files of a worker). */
export async function seedEntity(ds: DataSource, name: string, parentId: string | null = null): Promise<string> {
  const [row] = await ds.query("INSERT INTO entities (name, parent_id) VALUES ($1, $2) RETURNING id", [
    `${name} ${randomBytes(3).toString("hex")}`,
    parentId,
  ]);
  return row.id;
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
