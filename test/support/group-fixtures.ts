import type { TestApp } from "./app";
import { GROUP_SCHEMA, uniqueGroupName } from "./factories";

/** Creates a group through SCIM (groups come from the IdP), returns its id. */
export async function scimGroup(t: TestApp, displayName = uniqueGroupName()): Promise<string> {
  const res = await t.scim.post("/Groups", { schemas: [GROUP_SCHEMA], displayName });
  if (res.status !== 201) throw new Error(`group ${displayName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The member ids of a group, straight from the table. */
export async function memberIds(t: TestApp, groupId: string): Promise<string[]> {
  const rows = await t.ds.query("SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id", [groupId]);
  return rows.map((r: { user_id: string }) => r.user_id);
}

/** Follows nextCursor from the first page to the last, collecting every item. */
export async function allPages<T = { id: string; displayName: string }>(
  fetch: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { items: T[]; nextCursor: string | null } = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null && pages < 1000);
  return { items, pages };
}
