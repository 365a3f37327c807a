import type { AdminClient, TestApp } from "./app";

let n = 0;
const unique = () => `${Date.now().toString(36)}${(++n).toString(36)}`;
/** Letters only, as the default manual policy wants names (no digits). */
export const letters = (len = 6) =>
  Array.from({ length: len }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

/** Creates an entity through the API (as the full admin), returns its id. */
export async function entity(
  t: TestApp,
  name: string,
  parentId: string | null = null,
  externalKey?: string,
): Promise<string> {
  const res = await t.admin.post("/entities", { name, parentId, ...(externalKey ? { externalKey } : {}) });
  if (res.status !== 201) throw new Error(`entity ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A person body the default policy accepts, with a unique email. */
export function personBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: `p.${unique()}@corp.test`, givenName: `Ann${letters(3)}`, familyName: `Lee${letters(4)}`, ...extra };
}

/** Creates a person through the API (as the full admin). */
export async function person(
  t: TestApp,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; userName: string; email: string; body: Record<string, unknown> }> {
  const res = await t.admin.post("/users", personBody(extra));
  if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, userName: res.body.userName, email: res.body.email, body: res.body };
}

/** An admin (or auditor) limited to `scope`, placed in its first entity, and a client acting as them. */
export async function scopedAdmin(
  t: TestApp,
  scope: string[],
  role: "admin" | "auditor" = "admin",
): Promise<{ id: string; client: AdminClient }> {
  const p = await person(t, { role, adminScope: scope, entityId: scope[0] });
  return { id: p.id, client: t.adminAs(await t.token(role, p.userName)) };
}
