/** RFC 6750 §2.1: `Authorization: Bearer <token>`, scheme in any case. Both doors that take bearer tokens read it here. */
const BEARER = /^Bearer\s+(\S+)\s*$/i;

export const BEARER_REQUIRED = "A bearer token is required (Authorization: Bearer <token>)";

/** The token of an Authorization header, or null when there is none or it is not a bearer credential. */
export function bearerTokenOf(header: string | undefined): string | null {
  return BEARER.exec(header ?? "")?.[1] ?? null;
}
