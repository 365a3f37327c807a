import type { EntityRef } from "../entities/entity";

/** A group (a space people are affiliated to) as admins browse it. */
export interface GroupSummary {
  id: string;
  displayName: string;
  externalId: string | null;
  /** Members the actor may see: all of them, or those placed within the actor's entity scope. */
  memberCount: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A member of a group, as admins see it in the group's member list. */
export interface MemberSummary {
  id: string;
  userName: string;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  active: boolean;
  entity: EntityRef | null;
  /** When the person joined this group. */
  addedAt: Date;
}

/** One page of a keyset-paged list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

/** The outcome of adding people to a group. */
export interface MembershipResult {
  groupId: string;
  version: number;
  added: string[];
  alreadyMembers: string[];
}
