import { InvalidError } from "../../../domain/errors";
import { isUuid } from "../../../domain/ids";

type Body = Record<string, unknown> | undefined;

/** A text field of a posted form ("" when absent; a field sent twice counts as its last value, as query strings do). */
export function textOf(body: Body, name: string): string {
  const v = body?.[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === "string" ? last : "";
}

/** Every value of a repeated field (checkboxes): a single one arrives as a string, several as an array. */
export function valuesOf(body: Body, name: string): string[] {
  const v = body?.[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === "string");
}

/** The value of a checkbox in a parsed form body: ticked when posted (any value), else not. */
export const ticked = (body: Record<string, unknown>, name: string): boolean => body[name] !== undefined;

/** The non-empty lines of a text area. */
export const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** A drop-down of entities: "" for none (top level), else an entity id; anything else names the field as invalid. */
export function optionalIdOf(body: Body, name: string): string | null {
  const v = textOf(body, name).trim();
  if (v === "") return null;
  if (!isUuid(v)) throw new InvalidError(name, "choose one of the list");
  return v.toLowerCase();
}

/** A version a form carries (the entity as it was shown), to refuse a change made meanwhile by someone else. */
export function versionOf(body: Body): number[] | undefined {
  const v = Number(textOf(body, "version"));
  return Number.isInteger(v) && v > 0 ? [v] : undefined;
}
