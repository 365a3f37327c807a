/** A unit of the organisation (department, site, subsidiary); entities form a tree through `parentId`. */
export interface Entity {
  id: string;
  name: string;
  parentId: string | null;
  /** The key an identity provider's value is matched against (SCIM_ENTITY_MAPPING), case-insensitively. */
  externalKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** An entity with where it sits and what hangs on it. */
export interface EntityDetail extends Entity {
  /** Ancestors from the root down to the parent. */
  path: EntityRef[];
  childCount: number;
  /** Live people placed in this entity itself (not its sub-entities). */
  userCount: number;
}

export interface EntityRef {
  id: string;
  name: string;
}

export interface EntityInput {
  name: string;
  parentId: string | null;
  externalKey: string | null;
}
