import { InvalidError } from "../errors";
import type { UserProfile } from "./user";

const MAX_TEXT = 2048;
const MAX_VALUES = 100;
// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (names must not hold them).
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Pure checks every door shares; throws InvalidError naming the field. */
export function assertValidProfile(p: UserProfile): void {
  if (typeof p.userName !== "string" || p.userName.trim() === "")
    throw new InvalidError("userName", "is required and must not be empty");
  if (p.userName.length > 256) throw new InvalidError("userName", "must be at most 256 characters");
  if (CONTROL.test(p.userName)) throw new InvalidError("userName", "must not contain control characters");
  assertTexts("", {
    externalId: p.externalId,
    displayName: p.displayName,
    nickName: p.nickName,
    profileUrl: p.profileUrl,
    title: p.title,
    userType: p.userType,
    preferredLanguage: p.preferredLanguage,
    locale: p.locale,
    timezone: p.timezone,
  });
  assertTexts("name.", { ...p.name });
  assertTexts("enterprise.", { ...p.enterprise });
  assertMultiValued("emails", p.emails, true);
  assertMultiValued("phoneNumbers", p.phoneNumbers, true);
  for (const [attr, values] of Object.entries(p.extras))
    assertMultiValued(attr, values as Record<string, unknown>[], false);
  assertNoNul("", p);
}

/** PostgreSQL text and jsonb cannot hold U+0000: refuse it by name rather than fail in the database. */
function assertNoNul(path: string, value: unknown): void {
  if (typeof value === "string") {
    if (value.includes("\u0000"))
      throw new InvalidError(path || "value", "must not contain the NUL character (U+0000)");
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertNoNul(`${path}[${i}]`, v);
    });
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertNoNul(path ? `${path}.${k}` : k, v);
  }
}

function assertTexts(prefix: string, fields: Record<string, string | null>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== null && typeof value !== "string") throw new InvalidError(prefix + key, "must be a string");
    if (value !== null && value.length > MAX_TEXT)
      throw new InvalidError(prefix + key, `must be at most ${MAX_TEXT} characters`);
  }
}

/** RFC 7643 §2.4: the primary value "MUST appear no more than once"; a `type` may repeat (two work emails). */
function assertMultiValued(attr: string, values: Record<string, unknown>[], needsValue: boolean): void {
  if (!Array.isArray(values)) throw new InvalidError(attr, "must be a list");
  if (values.length > MAX_VALUES) throw new InvalidError(attr, `must have at most ${MAX_VALUES} values`);
  let primaries = 0;
  values.forEach((v, i) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new InvalidError(`${attr}[${i}]`, "must be an object");
    if (needsValue && (typeof v.value !== "string" || v.value.trim() === ""))
      throw new InvalidError(`${attr}[${i}].value`, "is required");
    if (typeof v.value === "string" && v.value.length > MAX_TEXT)
      throw new InvalidError(`${attr}[${i}].value`, `must be at most ${MAX_TEXT} characters`);
    if (v.primary === true) primaries++;
  });
  if (primaries > 1) throw new InvalidError(attr, "at most one value may be primary");
}

/** Flattens a profile into `field -> value` for audit diffs. */
export function auditView(p: UserProfile): Record<string, unknown> {
  const { name, enterprise, extras, ...top } = p;
  const flat: Record<string, unknown> = { ...top };
  for (const [k, v] of Object.entries(name)) flat[`name.${k}`] = v;
  for (const [k, v] of Object.entries(enterprise)) flat[`enterprise.${k}`] = v;
  for (const [k, v] of Object.entries(extras)) flat[k] = v;
  return flat;
}
