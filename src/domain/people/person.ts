import type { InvitationStatus } from "../invitations/invitation";
import type { EntityRef } from "../entities/entity";
import type { OwnedField } from "../users/field-ownership";
import type { SystemRole, User } from "../users/user";

/** A person an admin creates by hand. Left out: no language (automatic), role member, no entity, internal, invite later. */
export interface NewPerson {
  email: string;
  userName?: string;
  givenName?: string | null;
  familyName?: string | null;
  /** A language tag, or null for automatic (the IdP's locale, else the browser's at first sign-in). */
  language?: string | null;
  role?: SystemRole;
  adminScope?: string[];
  entityId?: string | null;
  external?: boolean;
  invite?: boolean;
  /** Groups (spaces) the person joins with their creation; each must exist. */
  groups?: string[];
  /**
   * Names given neither way may stay empty, asked for when the person joins (pasted addresses, imports, space
   * invitations); the userName is then the email address. Names given are held to the policy.
   */
  namesAtJoining?: boolean;
  /** More of the profile, as an import's row gives it. */
  details?: Pick<PersonChanges, "title" | "department" | "phone" | "employeeNumber">;
}

/** What an admin may change on a person; what is left out stays as it is. */
export interface PersonChanges {
  givenName?: string;
  familyName?: string;
  email?: string;
  userName?: string;
  language?: string | null;
  title?: string | null;
  department?: string | null;
  /** The work phone number (the first phone number, as an import gives it). */
  phone?: string | null;
  /** The enterprise employee number (matricule). */
  employeeNumber?: string | null;
  /** The manager's id, as an IdP sends it (enterprise `manager.value`). */
  manager?: string | null;
  entityId?: string | null;
  role?: SystemRole;
  adminScope?: string[];
  external?: boolean;
}

/** A person with the names of the entities their account points at. */
export interface PersonView {
  user: User;
  entity: EntityRef | null;
  adminScope: EntityRef[];
  /** The latest invitation, when one was ever asked for. */
  invitation: { status: InvitationStatus; invitedAt: Date; expiresAt: Date | null } | null;
}

/** A field an admin cannot change on a person, and why: the IdP owns it, or the IdP's mapped value sets the entity. */
export interface LockedField {
  field: OwnedField | "entityId";
  why: "idp_owned" | "entity_mapping";
}
