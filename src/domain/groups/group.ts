/** What a door may set on a group besides its members. */
export interface GroupFields {
  displayName: string;
  externalId: string | null;
}

export interface Group extends GroupFields {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A direct member (only users: nested groups are refused) with the name to show for it. */
export interface Member {
  id: string;
  display: string;
}

/**
 * A change to the member set, applied in SQL. Ids are what the client sent: ids that name no live user
 * are skipped (and audited), never stored.
 */
export type MemberOp =
  | { op: "add"; ids: string[] }
  | { op: "remove"; ids: string[] }
  | { op: "removeAll" }
  | { op: "replace"; ids: string[] };

/** The outcome of a group write: the group as written, and the member ids the request named but that were skipped. */
export interface GroupResult {
  group: Group;
  changed: boolean;
  skippedMembers: string[];
  /** Members the request named and that are members now (for create and full replacement). */
  members?: Member[];
  /** Ids the write made members (they were not before). */
  added?: string[];
}
