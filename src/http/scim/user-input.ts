import type { Ctx } from "../../domain/context";
import type { UserWrite } from "../../domain/users/user";
import { logger } from "../../log";
import { normaliseUserBody } from "./dialect";
import { ScimError, fromScimmy } from "./scim-errors";
import { ENTERPRISE_URN, SCIMMY, USER_URN } from "./scimmy";
import { fromScimUser } from "./user.mapper";

type Json = Record<string, unknown>;

const KNOWN = new Set([
  "schemas",
  "id",
  "externalid",
  "meta",
  "username",
  "name",
  "displayname",
  "nickname",
  "profileurl",
  "title",
  "usertype",
  "preferredlanguage",
  "locale",
  "timezone",
  "active",
  "password",
  "emails",
  "phonenumbers",
  "ims",
  "photos",
  "addresses",
  "groups",
  "entitlements",
  "roles",
  "x509certificates",
  ENTERPRISE_URN.toLowerCase(),
]);

/**
 * A POST/PUT body -> the domain write, or a 400 naming the attribute (RFC 7644 §3.3, §3.5.1). An attribute the
 * schema does not know is left out, logged and named in the write's audit record (`ignoredAttributes`), or with
 * `strict` (SCIM_STRICT_ATTRIBUTES) refused with 400 invalidValue.
 */
export function parseUserBody(body: unknown, ctx?: Ctx, strict = false): UserWrite {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ScimError(400, "invalidSyntax", "The request body must be a JSON object");
  const normalised = normaliseUserBody(body) as Json;
  const unknown = Object.keys(normalised).filter((k) => !KNOWN.has(k.toLowerCase()));
  if (unknown.length === 0) return fromScimUser(coerceUser(normalised));
  if (strict) throw new ScimError(400, "invalidValue", `Unknown attribute '${unknown[0]}' for resource type User`);
  logger.info(
    { requestId: ctx?.requestId ?? null, ignoredAttributes: unknown },
    "SCIM User body: attributes the schema does not know were ignored",
  );
  const known = Object.fromEntries(Object.entries(normalised).filter(([k]) => KNOWN.has(k.toLowerCase())));
  return { ...fromScimUser(coerceUser(known)), ignoredAttributes: unknown };
}

/**
 * scimmy's schema coercion (types, required, canonical names) of the User definition, run once; its TypeErrors become
 * 400s. `new SCIMMY.Schemas.User(data, "in")` gave the same values at about twice the cost: it defines accessors for
 * every attribute of the schema, then sets each coerced value through them, coercing it again (decision 0134).
 */
export function coerceUser(data: Json): Json {
  try {
    refuseOtherSchemas(data);
    const { password, ...rest } = SCIMMY.Schemas.User.definition.coerce(data, "in") as Json;
    // What the instance's JSON form held: every attribute but `password` (returned: never), kept beside it.
    return { ...JSON.parse(JSON.stringify(rest)), password };
  } catch (e) {
    throw fromScimmy(e, "invalidValue", "Invalid User");
  }
}

/** The schema instance's own check, before any coercion: `schemas`, when given, must name the User schema. */
function refuseOtherSchemas(data: Json): void {
  const { schemas = [] } = data;
  if (Array.isArray(schemas) && schemas.length && !schemas.includes(USER_URN))
    throw new ScimError(
      400,
      "invalidSyntax",
      "The request body supplied a schema type that is incompatible with this resource",
    );
}
