import SCIMMY from "scimmy";

/** The parts of a scimmy attribute definition the dialect normaliser reads. */
export interface AttrDef {
  readonly name: string;
  readonly type: string;
  readonly config: { readonly multiValued?: boolean; readonly shadow?: boolean };
  readonly subAttributes?: readonly AttrDef[];
}

/** A schema whose attributes can be addressed by a path: the core User schema or one of its extensions. */
export interface Namespace {
  readonly id: string;
  readonly core: boolean;
  readonly attributes: readonly AttrDef[];
}

export const CORE_USER_ID: string = SCIMMY.Schemas.User.id;
export const ENTERPRISE_USER_ID: string = SCIMMY.Schemas.EnterpriseUser.id;

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function attributesOf(definition: SCIMMY.Types.SchemaDefinition, withShadow: boolean): AttrDef[] {
  return (definition.attributes as unknown[])
    .filter((a): a is SCIMMY.Types.Attribute => a instanceof SCIMMY.Types.Attribute)
    .map((a) => a as unknown as AttrDef)
    .filter((a) => withShadow || !a.config.shadow);
}

/** Core User schema, including the common attributes (id, externalId, meta, schemas). */
export function coreNamespace(): Namespace {
  return { id: CORE_USER_ID, core: true, attributes: attributesOf(SCIMMY.Schemas.User.definition, true) };
}

/**
 * Extensions declared on the User schema, plus the enterprise extension even if the app has not declared it yet,
 * longest id first so a prefix match picks the most specific one.
 */
export function extensionNamespaces(): Namespace[] {
  const defs = (SCIMMY.Schemas.User.definition.attributes as unknown[]).filter(
    (a): a is SCIMMY.Types.SchemaDefinition => a instanceof SCIMMY.Types.SchemaDefinition,
  );
  if (!defs.some((d) => d.id === ENTERPRISE_USER_ID)) defs.push(SCIMMY.Schemas.EnterpriseUser.definition);
  return defs
    .map((d) => ({ id: d.id, core: false, attributes: attributesOf(d, false) }))
    .sort((a, b) => b.id.length - a.id.length);
}

/** RFC 7643 §2.1: attribute names are case-insensitive. */
export function findAttr(attrs: readonly AttrDef[] | undefined, name: string): AttrDef | undefined {
  const lower = name.toLowerCase();
  return attrs?.find((a) => a.name.toLowerCase() === lower);
}

export function isEnterpriseManager(ns: string, attr: AttrDef): boolean {
  return ns === ENTERPRISE_USER_ID && attr.name === "manager" && attr.type === "complex";
}
