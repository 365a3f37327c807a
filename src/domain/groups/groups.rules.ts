import { InvalidError } from "../errors";
import { isUuid } from "../ids";
import type { GroupFields } from "./group";

const MAX_NAME = 256;
const MAX_TEXT = 2048;
// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (names must not hold them).
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Pure checks every door shares; throws InvalidError naming the field. */
export function assertValidGroup(g: GroupFields): void {
  if (typeof g.displayName !== "string" || g.displayName.trim() === "")
    throw new InvalidError("displayName", "is required and must not be empty");
  if (g.displayName.length > MAX_NAME) throw new InvalidError("displayName", `must be at most ${MAX_NAME} characters`);
  if (CONTROL.test(g.displayName)) throw new InvalidError("displayName", "must not contain control characters");
  if (g.externalId !== null && typeof g.externalId !== "string")
    throw new InvalidError("externalId", "must be a string");
  if (g.externalId !== null && g.externalId.length > MAX_TEXT)
    throw new InvalidError("externalId", `must be at most ${MAX_TEXT} characters`);
  if (g.externalId?.includes("\u0000"))
    throw new InvalidError("externalId", "must not contain the NUL character (U+0000)");
}

/** Splits member ids into distinct lower-cased uuids (which may name users) and the rest (which cannot). */
export function splitMemberIds(ids: string[]): { uuids: string[]; invalid: string[] } {
  const uuids = new Set<string>();
  const invalid = new Set<string>();
  for (const id of ids) {
    if (isUuid(id)) uuids.add(id.toLowerCase());
    else invalid.add(id);
  }
  return { uuids: [...uuids], invalid: [...invalid] };
}

/** The fields of a group that the audit diff compares. */
export const auditView = (g: GroupFields): Record<string, unknown> => ({
  displayName: g.displayName,
  externalId: g.externalId,
});
