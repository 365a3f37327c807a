import { z } from "zod";
import { SYSTEM_ROLES } from "../../domain/users/user";

const role = z.enum(SYSTEM_ROLES as [string, ...string[]]).transform((r) => r as (typeof SYSTEM_ROLES)[number]);
const adminScope = z.array(z.guid()).max(100);
const language = z.string().nullable();
/** Group (space) ids; each must name a group (checked by the domain, 400 on `groups[i]`). */
const groups = z.array(z.guid()).max(100);

/** Settings a batch shares (in the JSON body, or for text/plain and a bare JSON array in the query string); a single create takes them too. */
export const BatchSettingsShape = {
  language: language.optional(),
  role: role.optional(),
  adminScope: adminScope.optional(),
  entityId: z.guid().nullable().optional(),
  external: z.boolean().optional(),
  invite: z.enum(["now", "later"]).optional(),
  groups: groups.optional(),
};

/** POST /admin/v1/users. Values are checked by the domain (manual policy); here only their types. */
export const NewPersonBody = z.strictObject({
  email: z.string(),
  userName: z.string().optional(),
  givenName: z.string().nullable().optional(),
  familyName: z.string().nullable().optional(),
  ...BatchSettingsShape,
});

/** PATCH /admin/v1/users/{id}: only what is sent changes. */
export const PersonPatchBody = z.strictObject({
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  email: z.string().optional(),
  userName: z.string().optional(),
  language: language.optional(),
  title: z.string().max(256).nullable().optional(),
  department: z.string().max(256).nullable().optional(),
  manager: z.string().max(256).nullable().optional(),
  entityId: z.guid().nullable().optional(),
  role: role.optional(),
  adminScope: adminScope.optional(),
  external: z.boolean().optional(),
});

export const BatchItem = z.union([
  z.string(),
  z.strictObject({
    email: z.string(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    userName: z.string().optional(),
  }),
]);

export const BatchBody = z.strictObject({ emails: z.array(BatchItem), ...BatchSettingsShape });

/** Query-string settings: lists comma-separated, booleans as true/false. */
export const BatchQuery = z.strictObject({
  ...BatchSettingsShape,
  adminScope: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(adminScope)
    .optional(),
  groups: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(groups)
    .optional(),
  external: z
    .enum(["true", "false"])
    .transform((s) => s === "true")
    .optional(),
  entityId: z.guid().optional(),
});
