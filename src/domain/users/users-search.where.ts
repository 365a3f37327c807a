import type { EntityManager } from "typeorm";
import type { Ctx } from "../context";
import type { EntitiesRepository } from "../entities/entities.repository";
import { InvalidError } from "../errors";
import { memberOfAnyGroup } from "../groups/groups.fragments";
import { withDb } from "../unit-of-work";
import type { SqlWhere } from "./users.repository";
import { liveUser } from "./users.fragments";
import { CONTACT_SQL, FACETS_SQL, facetCodes } from "./users-search.facets";
import type { UserSearchFilter } from "./users-search.types";

export const MAX_TERMS = 8;

/** The words of `q`, each matched on its own (so "dupont jean" finds Jean Dupont). */
export function searchTerms(q: string | undefined): string[] {
  const terms = [...new Set((q ?? "").trim().split(/\s+/).filter(Boolean))];
  if (terms.length > MAX_TERMS) throw new InvalidError("q", `at most ${MAX_TERMS} words`);
  return terms;
}

/** Whether a filter narrows by status facets, entity, group or contact (not by words). */
export const isNarrowed = (f: UserSearchFilter): boolean =>
  facetCodes(f) !== null || f.entity !== undefined || f.group !== undefined || f.contact !== undefined;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The condition (on `users u`) for live users matching `f` within the caller's entity scope, read through `m` (the
 * caller's transaction, or the pool). Its parameters are numbered from `$offset + 1`, so a statement can put its own
 * first.
 */
export async function searchWhere(
  m: EntityManager,
  entities: EntitiesRepository,
  ctx: Ctx,
  f: UserSearchFilter,
  offset: number,
): Promise<SqlWhere> {
  const conditions = [liveUser("u")];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${offset + params.push(v)}`;
  for (const term of searchTerms(f.q))
    conditions.push(`u.search_text LIKE roster_fold(${param(`%${escapeLike(term)}%`)})`);
  const codes = facetCodes(f);
  if (codes) conditions.push(codes.length ? `${FACETS_SQL} = ANY(${param(codes)}::int[])` : "false");
  if (f.contact !== undefined) conditions.push(`${CONTACT_SQL} = ${f.contact ? "true" : "false"}`);
  if (f.entity) {
    const ids = f.includeSubEntities ? await withDb(() => entities.subtreeIds(m, f.entity!)) : f.entity;
    conditions.push(`u.entity_id = ANY(${param(ids)}::uuid[])`);
  }
  if (f.group) conditions.push(memberOfAnyGroup("u.id", param(f.group)));
  // A scoped admin reaches users of their entities only; users without an entity are out of their reach.
  if (ctx.entityScope) conditions.push(`u.entity_id = ANY(${param([...ctx.entityScope])}::uuid[])`);
  return { sql: conditions.join(" AND "), params };
}
