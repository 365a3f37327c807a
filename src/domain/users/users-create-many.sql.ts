// The records of an import's set-based create built in SQL from the rows the insert returned (decision 0153): the
// user.created audit record with the same keys and values createEffects gives (diffFields over auditView and over the
// default account), and its feed event. test/integration/import-set-based-create.test.ts holds them equal.
import type { DerivedEachRow } from "../effects";
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

/** The jsonb columns among the audited (lists): an empty one is no value. */
const LISTS = new Set(["emails", "phone_numbers"]);
/**
 * `"key":{"before":null,"after":value}` for an audited column holding a value, else NULL (concat_ws leaves it out).
 * Written as text and parsed once per record: building each {before, after} as jsonb and aggregating them cost twice
 * as much (about 40 against 18 microseconds a row, 5,000 rows measured).
 */
const createdField = (key: string, column: string) =>
  LISTS.has(column)
    ? `CASE WHEN w.${column} NOT IN ('[]'::jsonb, 'null'::jsonb) THEN '"${key}":{"before":null,"after":' || w.${column}::text || '}' END`
    : `'"${key}":{"before":null,"after":' || to_json(w.${column})::text || '}'`;
const COLUMN_CHANGES = `('{' || concat_ws(',', ${AUDITED.map(([k, c]) => createdField(k, c)).join(", ")}) || '}')::jsonb`;

/**
 * diffFields({}, auditView(p)): every field of auditView that holds a value, as {before: null, after: value}. The
 * extras' keys are laid over the columns' as auditView lays them (one with no value takes the column's out too).
 */
const PROFILE_CHANGES = `CASE WHEN COALESCE(w.extras, '{}'::jsonb) = '{}'::jsonb THEN ${COLUMN_CHANGES}
  ELSE (${COLUMN_CHANGES} - ARRAY(SELECT jsonb_object_keys(w.extras)))
    || (SELECT COALESCE(jsonb_object_agg(f.k, jsonb_build_object('before', NULL, 'after', f.v)), '{}'::jsonb)
        FROM jsonb_each(w.extras) AS f(k, v) WHERE ${noEmpty("f.v")} IS NOT NULL) END`;

/** diffFields(defaultAccount(), account): each account field that differs from the default, with both values. */
const ACCOUNT_CHANGES = `(SELECT COALESCE(jsonb_object_agg(d.k, jsonb_build_object('before', d.b, 'after', d.a)), '{}'::jsonb)
  FROM (VALUES ${ACCOUNT.map(([k, c]) => `('${k}', ${noEmpty(constant(defaultAccount()[k]))}, ${noEmpty(`to_jsonb(w.${c})`)})`).join(", ")})
    AS d(k, b, a)
  WHERE d.b IS DISTINCT FROM d.a)`;

/** createEffects' audit `changes` for the inserted row `w`. */
export const CREATED_CHANGES = `(${PROFILE_CHANGES}) || ${ACCOUNT_CHANGES}`;

/** createEffects(id, profile, account, source) for each row `w` the insert wrote (none for a row it skipped). */
export const CREATE_MANY_EFFECTS: DerivedEachRow = {
  action: "user.created",
  subject: { type: "user", id: "w.id::text" },
  changes: CREATED_CHANGES,
  topic: "user.created",
  payload: "jsonb_build_object('userId', w.id::text, 'source', w.source)",
  answer: "id",
};
