/** An audit record as it is written (sealed into the hash chain later, by audit-sealer.ts): `audit_events`' columns. */
export interface AuditRecordRow {
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  door: string;
  action: string;
  target_type: string;
  target_id: string | null;
  changes: Record<string, unknown>;
  request_id: string | null;
}

/**
 * The INSERT of the records in `recordsParam` (a jsonb array of AuditRecordRow), written only when `guard` holds: a
 * data-modifying CTE of a change's own statement (unit-of-work.ts, its only user), so the records commit with it or not
 * at all.
 */
export const auditInsertCte = (
  recordsParam: string,
  guard: string,
) => `INSERT INTO audit_events (actor_type, actor_id, actor_name, door, action, target_type, target_id, changes, request_id)
        SELECT x.actor_type, x.actor_id, x.actor_name, x.door, x.action, x.target_type, x.target_id, x.changes, x.request_id
        FROM jsonb_to_recordset(${recordsParam}::jsonb) AS x(actor_type text, actor_id text, actor_name text, door text, action text,
             target_type text, target_id text, changes jsonb, request_id text)
        WHERE ${guard}`;

/**
 * The INSERT of the records `rows` selects (a SELECT of AuditRecordRow's columns, in its order): a data-modifying CTE
 * of a set-based write's own statement (unit-of-work.ts, its only user), one record per row it wrote.
 */
export const auditRowsInsertCte = (rows: string) => `INSERT INTO audit_events
          (actor_type, actor_id, actor_name, door, action, target_type, target_id, changes, request_id)
        ${rows}`;

/**
 * Sealed membership changes (membership.added / .removed) made through door `doorParam` on groups an identity provider
 * created (their group.created record came through SCIM): a FROM over `audit_events <a>` joined to its seal
 * `<s>` (`<s>.seq` is the record's place in the chain) for the reconciliation report, keyset by `<a>.id` (the action
 * index; records appear once sealed, seconds after commit, in id order).
 */
export const membershipChangesOnScimGroups = (a: string, s: string, doorParam: string) =>
  `audit_events ${a} JOIN audit_seals ${s} ON ${s}.id = ${a}.id
     WHERE (${a}.action COLLATE "C") IN ('membership.added', 'membership.removed')
     AND ${a}.target_type = 'group' AND ${a}.door = ${doorParam}
     AND EXISTS (SELECT 1 FROM audit_events c WHERE c.target_type = 'group' AND c.target_id = ${a}.target_id
                 AND (c.action COLLATE "C") = 'group.created' AND c.door = 'scim')`;
