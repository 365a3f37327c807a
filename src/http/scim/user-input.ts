import type { Ctx } from "../../domain/context";
import type { UserWrite } from "../../domain/users/user";
import { logger } from "../../log";
import { normaliseUserBody } from "./dialect";
import { ScimError, fromScimmy } from "./scim-errors";
import { ENTERPRISE_URN, SCIMMY } from "./scimmy";
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

/** Runs scimmy's schema coercion (types, required, canonical names); its TypeErrors become 400s. */
function coerceUser(data: Json): Json {
  try {
    const instance = new SCIMMY.Schemas.User(data, "in") as unknown as Json;
    // scimmy keeps `password` on the instance but leaves it out of its JSON form (returned: never).
    return { ...JSON.parse(JSON.stringify(instance)), password: instance.password };
  } catch (e) {
    throw fromScimmy(e, "invalidValue", "Invalid User");
  }
}
