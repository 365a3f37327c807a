import { z } from "zod";
import { USER_SOURCES, USER_STATUSES } from "../../domain/users/users-search.facets";
import type { UserSearchFilter, UserSearchQuery, UserSortField } from "../../domain/users/users.search";
import { USER_ACTIONS, type UserAction } from "../../domain/jobs/users-actions.service";
import type { UserSelection } from "../../domain/jobs/jobs.service";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
const MAX_IDS = 100_000;

/** A list given as `a,b` in a query string, or as a JSON array in a body. */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([
      z.string().transform((s) =>
        s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      ),
      z.array(z.string()),
    ])
    .pipe(z.array(item).min(1, "must name at least one value").max(100));
/** `true`/`false` in a query string, or a JSON boolean. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

const filterShape = {
  q: z.string().max(200).optional(),
  status: list(z.enum(USER_STATUSES)).optional(),
  enrolled: flag.optional(),
  connected: flag.optional(),
  external: flag.optional(),
  contact: flag.optional(),
  source: list(z.enum(USER_SOURCES)).optional(),
  entity: list(z.guid("must be an entity id")).optional(),
  includeSubEntities: flag.optional(),
  group: list(z.guid("must be a group id")).optional(),
};

const SORTS = ["userName", "familyName", "createdAt", "lastLoginAt"] as const;
const querySchema = z.strictObject({
  ...filterShape,
  sort: z.enum([...SORTS, ...SORTS.map((s) => `-${s}` as const)]).default("userName"),
  cursor: z.string().min(1).max(2000).optional(),
  // Capped rather than refused, as SCIM's count is.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_LIMIT)
    .transform((n) => Math.min(n, MAX_LIMIT)),
});

/** A criterion that narrows the selection: a blank `q` or `includeSubEntities` alone would still select everyone. */
const narrows = ([key, value]: [string, unknown]) =>
  value !== undefined && key !== "includeSubEntities" && !(key === "q" && String(value).trim() === "");
const filterSchema = z
  .strictObject(filterShape)
  .refine(
    (f) => Object.entries(f).some(narrows),
    "must have at least one criterion (an empty filter would select everyone)",
  );

const actionsSchema = z
  .strictObject({
    action: z.enum(USER_ACTIONS as [UserAction, ...UserAction[]]),
    ids: z.array(z.guid("must be a user id")).min(1).max(MAX_IDS).optional(),
    filter: filterSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.ids === !b.filter)
      ctx.addIssue({ code: "custom", path: ["ids"], message: "give either ids or filter (exactly one)" });
  });

/** GET /admin/v1/users query string -> search query; throws the ZodError (400 naming the parameter). */
export function parseSearchQuery(query: unknown): UserSearchQuery {
  const p = parse(querySchema, query);
  const { sort, cursor, limit, ...filter } = p;
  const descending = sort.startsWith("-");
  return {
    filter: compact(filter as UserSearchFilter),
    sort: sort.replace(/^-/, "") as UserSortField,
    descending,
    cursor,
    limit,
  };
}

export function parseActionsBody(body: unknown): { action: UserAction; selection: UserSelection } {
  const b = parse(actionsSchema, body ?? null);
  return { action: b.action, selection: b.ids ? { ids: b.ids } : { filter: compact(b.filter as UserSearchFilter) } };
}

/** Parses, naming each unknown key as the field at fault (zod reports them all on the object itself). */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new z.ZodError(
    r.error.issues.flatMap((i): z.core.$ZodIssue[] =>
      i.code === "unrecognized_keys"
        ? i.keys.map((k) => ({ ...i, path: [...i.path, k], message: "is not a known parameter" }))
        : [i],
    ),
  );
}

/** Drops absent criteria so that the cursor fingerprint is the same whatever way the filter was written. */
function compact(f: UserSearchFilter): UserSearchFilter {
  const out = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as UserSearchFilter;
  if (out.q !== undefined && out.q.trim() === "") delete out.q;
  return out;
}
