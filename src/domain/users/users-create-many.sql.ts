// The records of an import's set-based create built in SQL from the rows the insert returned (decision 0153): the
// user.created audit record with the same keys and values createEffects gives (diffFields over auditView and over the
// default account), and its feed event. test/integration/import-set-based-create.test.ts holds them equal.
import type { DerivedEffects } from "../effects";
import { type UserAccount, defaultAccount } from "./user";
import { AUDITED } from "./users-replace.sql";

/** The account's keys (createEffects' second diff) and their columns. */
const ACCOUNT: [keyof UserAccount, string][] = [
  ["entityId", "entity_id"],
  ["systemRole", "system_role"],
  ["adminScope", "admin_scope"],
  ["external", "external"],
];

/** What the insert returns for the records: the id, the source, every audited column, the extras, the account. */
export const CREATED_RETURNING = ["id", "source", ...AUDITED.map(([, c]) => c), "extras", ...ACCOUNT.map(([, c]) => c)]
  .map((c) => `users.${c}`)
  .join(", ");

/** A value as diffFields compares it (emptyToNull): SQL NULL for no value, a JSON null and an empty list. */
const noEmpty = (json: string) => `NULLIF(NULLIF(${json}, 'null'::jsonb), '[]'::jsonb)`;
/** A constant as jsonb text (the default account's values: fixed text, not input). */
const constant = (v: unknown) => `'${JSON.stringify(v ?? null).replaceAll("'", "''")}'::jsonb`;

/**
 * diffFields({}, auditView(p)): every field of auditView (the columns, then the extras' keys over them, as auditView
 * lays them) that holds a value, as {before: null, after: value}.
 */
const PROFILE_CHANGES = `(SELECT COALESCE(jsonb_object_agg(f.k, jsonb_build_object('before', NULL, 'after', f.v)), '{}'::jsonb)
  FROM jsonb_each(jsonb_build_object(${AUDITED.map(([k, c]) => `'${k}', w.${c}`).join(", ")})
                  || COALESCE(w.extras, '{}'::jsonb)) AS f(k, v)
  WHERE ${noEmpty("f.v")} IS NOT NULL)`;

/** diffFields(defaultAccount(), account): each account field that differs from the default, with both values. */
const ACCOUNT_CHANGES = `(SELECT COALESCE(jsonb_object_agg(d.k, jsonb_build_object('before', d.b, 'after', d.a)), '{}'::jsonb)
  FROM (VALUES ${ACCOUNT.map(([k, c]) => `('${k}', ${noEmpty(constant(defaultAccount()[k]))}, ${noEmpty(`to_jsonb(w.${c})`)})`).join(", ")})
    AS d(k, b, a)
  WHERE d.b IS DISTINCT FROM d.a)`;

/** createEffects(id, profile, account, source) for every row `w` the insert wrote (none for a row it skipped). */
export const CREATE_MANY_EFFECTS: DerivedEffects = {
  audits: `(SELECT COALESCE(jsonb_agg(jsonb_build_object('action', 'user.created', 'target_type', 'user',
    'target_id', w.id::text, 'changes', ${PROFILE_CHANGES} || ${ACCOUNT_CHANGES})), '[]'::jsonb) FROM w)`,
  events: `(SELECT COALESCE(jsonb_agg(jsonb_build_object('topic', 'user.created',
    'payload', jsonb_build_object('userId', w.id::text, 'source', w.source))), '[]'::jsonb) FROM w)`,
  answer: "id",
};
