export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditSubject {
  type:
    | "user"
    | "group"
    | "token"
    | "entity"
    | "setting"
    | "outbox"
    | "oidc_client"
    | "oidc_key"
    | "webhook"
    | "sso_connection"
    | "signup_link"
    | "import";
  id: string | null;
}

/** Field-by-field difference of two flat records; key order and empty lists do not count as changes. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = emptyToNull(before[key]);
    const a = emptyToNull(after[key]);
    if (canonicalJson(b) !== canonicalJson(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

const emptyToNull = (v: unknown) => (v === undefined || (Array.isArray(v) && v.length === 0) ? null : v);

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
