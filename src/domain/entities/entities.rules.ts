import { InvalidError } from "../errors";

const MAX_NAME = 200;
// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (names must not hold them).
const CONTROL = /[\u0000-\u001f\u007f]/;

/** An entity's name, trimmed; throws InvalidError naming the field. */
export function entityName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw new InvalidError("name", "is required and must not be empty");
  if (trimmed.length > MAX_NAME) throw new InvalidError("name", `must be at most ${MAX_NAME} characters`);
  if (CONTROL.test(trimmed)) throw new InvalidError("name", "must not contain control characters");
  return trimmed;
}

/** An external key, trimmed; an empty one means none. */
export function externalKey(key: string | null): string | null {
  const trimmed = key?.trim() ?? "";
  if (trimmed === "") return null;
  if (trimmed.length > MAX_NAME) throw new InvalidError("externalKey", `must be at most ${MAX_NAME} characters`);
  if (CONTROL.test(trimmed)) throw new InvalidError("externalKey", "must not contain control characters");
  return trimmed;
}
