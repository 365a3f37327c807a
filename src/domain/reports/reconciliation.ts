// The reconciliation report's lines (decision 0105): what Roster and the identity provider disagree on, each saying
// why it is listed and what to do.

/** The report's sections, in the order a report walks them. */
export const RECONCILIATION_KINDS = [
  "stale_push",
  "not_pushed_since",
  "hand_made_in_idp_domain",
  "admin_change_in_idp_group",
] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];

export interface ReconciliationQuery {
  /** Active people the IdP has not pushed for more than this many days. */
  staleDays: number;
  /** When given: active SCIM people the IdP has not pushed since then (or ever). */
  since: Date | null;
  /** The email domains an IdP owns (the idp-domains setting). */
  idpDomains: string[];
}

export interface ReconciliationLine {
  kind: ReconciliationKind;
  subject: { type: "user" | "group"; id: string; name: string | null };
  /** The time the line is about: the last push (people), the change (memberships). */
  at: Date | null;
  /** What else identifies the case: the email, the members changed, the admin who changed them. */
  detail: Record<string, unknown>;
  why: string;
  todo: string;
}

/** A row as the repository reads it, before the words are added. */
export interface ReconciliationRow {
  kind: ReconciliationKind;
  subjectType: "user" | "group";
  id: string;
  name: string | null;
  at: Date | null;
  detail: Record<string, unknown>;
  /** The keyset position of the row within its kind. */
  key: string;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "never");

/** The row with why it is listed and what to do about it. */
export function explain(row: ReconciliationRow, q: ReconciliationQuery): ReconciliationLine {
  const { why, todo } = words(row, q);
  return {
    kind: row.kind,
    subject: { type: row.subjectType, id: row.id, name: row.name },
    at: row.at,
    detail: row.detail,
    why,
    todo,
  };
}

function words(row: ReconciliationRow, q: ReconciliationQuery): { why: string; todo: string } {
  switch (row.kind) {
    case "stale_push":
      return {
        why: `Active, but the identity provider has not pushed this person for more than ${q.staleDays} days (last push: ${day(row.at)}; counted from creation when never pushed)`,
        todo: "Check that the person is still assigned to Roster's application in the identity provider; if they left, deactivate them there (or here)",
      };
    case "not_pushed_since":
      return {
        why: `Active and managed by SCIM, but not pushed since ${day(q.since)} (last push: ${day(row.at)})`,
        todo: "Re-run the identity provider's provisioning for this person, or deactivate them if they are no longer assigned",
      };
    case "hand_made_in_idp_domain":
      return {
        why: `Created by hand (${String(row.detail.source)}) with an address in ${String(row.detail.domain)}, a domain the identity provider owns`,
        todo: "Provision this person from the identity provider instead (then remove the hand-made account), or deactivate it",
      };
    case "admin_change_in_idp_group":
      return {
        why: `An admin ${row.detail.action === "membership.added" ? "added members to" : "removed members from"} a group the identity provider pushes: its next push of the members may undo this`,
        todo: "Make the change in the identity provider's group assignment, or keep such people in a group Roster's admins manage",
      };
  }
}
