import type { SubAttr } from "./types";

/** SQL for a sub-attribute value inside the jsonb element bound to `alias`, cast to its kind. */
export function elementExpr(alias: string, mapKey: string, sub: SubAttr): string {
  const raw = `${alias}->>'${(sub.jsonKey ?? mapKey.toLowerCase()).replace(/'/g, "''")}'`;
  switch (sub.kind) {
    case "boolean":
      return `(${raw})::boolean`;
    case "datetime":
      return `(${raw})::timestamptz`;
    case "integer":
      return `(${raw})::numeric`;
    default:
      return raw;
  }
}
