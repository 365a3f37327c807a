import SCIMMY from "scimmy";

export { SCIMMY };
export const SCIM_CONTENT_TYPE = "application/scim+json";
/** Request content types the SCIM door parses as JSON. */
export const SCIM_JSON_TYPES = ["application/scim+json", "application/json", "application/*+json"];
export const ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SCIM_BASE_PATH = "/scim/v2";

let declared = false;
let pagination: Record<string, unknown> = {};

/**
 * `pagination` of /ServiceProviderConfig (RFC 9865 §4), which scimmy does not know: both methods, index by default
 * (what Okta and Entra use), one page size; cursors hold no server state, so they do not time out (no cursorTimeout).
 */
export const scimPagination = (): Record<string, unknown> => pagination;

/** Canonical values that are only suggestions: listed in /Schemas, never refused (scimmy asks `includes`). */
class Suggestions extends Array<string> {
  override includes(): boolean {
    return true;
  }
}

/** Declares Roster's SCIM resources and what the service provider supports (RFC 7643 §5). Idempotent: SCIMMY is process-global. */
export function declareScimResources(opts: {
  maxResults: number;
  bulk: { maxOperations: number; maxPayloadSize: number };
}): void {
  if (!declared) {
    SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser, false);
    SCIMMY.Resources.declare(SCIMMY.Resources.Group);
    // scimmy declares these with an empty canonical list, which refuses every value (Entra sends
    // roles[].type "WindowsAzureActiveDirectoryRole"); RFC 7643 names no canonical values for them.
    for (const path of ["roles.type", "x509Certificates.type", "entitlements.type"]) {
      const attribute = SCIMMY.Schemas.User.definition.attribute(path) as unknown as {
        config: { canonicalValues: unknown };
      };
      attribute.config.canonicalValues = false;
    }
    // RFC 7643 §2.3.1, §4.1.2: canonical `type` values are suggestions ("pager" is a valid email type). scimmy refuses
    // any other value, so each User `type` keeps its list for /Schemas but accepts every string.
    for (const attribute of SCIMMY.Schemas.User.definition.attributes as unknown as {
      subAttributes?: { name: string; config: { canonicalValues: unknown } }[];
    }[]) {
      const type = attribute.subAttributes?.find((s) => s.name === "type");
      if (type && Array.isArray(type.config.canonicalValues))
        type.config.canonicalValues = new Suggestions(...(type.config.canonicalValues as string[]));
    }
    for (const R of [
      SCIMMY.Resources.User,
      SCIMMY.Resources.Group,
      SCIMMY.Resources.Schema,
      SCIMMY.Resources.ResourceType,
      SCIMMY.Resources.ServiceProviderConfig,
    ]) {
      R.basepath(SCIM_BASE_PATH);
    }
    declared = true;
  }
  SCIMMY.Config.set({
    documentationUri: "https://github.com/roster-scim/roster#readme",
    patch: true,
    filter: { supported: true, maxResults: opts.maxResults },
    sort: true,
    etag: true,
    changePassword: false,
    bulk: { supported: true, maxOperations: opts.bulk.maxOperations, maxPayloadSize: opts.bulk.maxPayloadSize },
  });
  pagination = {
    cursor: true,
    index: true,
    defaultPaginationMethod: "index",
    defaultPageSize: opts.maxResults,
    maxPageSize: opts.maxResults,
  };
  SCIMMY.Config.set("authenticationSchemes", []);
  SCIMMY.Config.set("authenticationSchemes", [
    {
      type: "oauthbearertoken",
      name: "Bearer token",
      description:
        "A token created with `npx roster token create --scope scim`, sent as `Authorization: Bearer <token>`.",
      primary: true,
    },
  ]);
}
