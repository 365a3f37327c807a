import { UserWrite } from "../../domain/users/user";
import { normaliseUserBody } from "./dialect";
import { ScimError, fromScimmy } from "./scim-errors";
import { ENTERPRISE_URN, SCIMMY } from "./scimmy";
import { fromScimUser } from "./user.mapper";

type Json = Record<string, unknown>;

const KNOWN = new Set([
  "schemas", "id", "externalid", "meta", "username", "name", "displayname", "nickname", "profileurl", "title", "usertype",
  "preferredlanguage", "locale", "timezone", "active", "password", "emails", "phonenumbers", "ims", "photos", "addresses",
  "groups", "entitlements", "roles", "x509certificates", ENTERPRISE_URN.toLowerCase(),
]);

/** A POST/PUT body -> the domain write, or a 400 naming the attribute (RFC 7644 §3.3, §3.5.1). */
export function parseUserBody(body: unknown): UserWrite {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ScimError(400, "invalidSyntax", "The request body must be a JSON object");
  const normalised = normaliseUserBody(body) as Json;
  const unknown = Object.keys(normalised).find((k) => !KNOWN.has(k.toLowerCase()));
  if (unknown) throw new ScimError(400, "invalidValue", `Unknown attribute '${unknown}' for resource type User`);
  return fromScimUser(coerceUser(normalised));
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
