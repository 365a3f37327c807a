import type { ImportField } from "./import";
import { fieldOfLabel, labelKey } from "./import-mapping.rules";

/**
 * The field each column of a header would be read as by its wording alone (what an import does with no mapping), for
 * a mapping form to start from: the first column of a field takes it, a later column of the same field and an unknown
 * label are left out (null: ignored), where `mapColumns` would refuse the pair.
 */
export function guessFields(header: string[]): (ImportField | null)[] {
  const taken = new Set<ImportField>();
  return header.map((label) => {
    const field = labelKey(label) === "" ? undefined : fieldOfLabel(label);
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/**
 * A positional choice of fields (one per column, null: ignore) as the label mapping imports take (`ImportOptions`'
 * mapping): every labelled column named, so nothing is left to the wordings. Unlabelled columns are always ignored.
 */
export function mappingOfFields(
  header: string[],
  fields: readonly (ImportField | null)[],
): Record<string, ImportField | null> {
  const mapping: Record<string, ImportField | null> = {};
  header.forEach((label, i) => {
    if (labelKey(label) !== "") mapping[label] = fields[i] ?? null;
  });
  return mapping;
}
