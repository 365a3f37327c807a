import { InvalidError } from "../errors";

export interface ClientInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An absolute https URL without fragment (http only on loopback, for development), as OpenID requires of redirects. */
export function assertRedirectUri(field: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidError(field, `'${value}' is not an absolute URL`);
  }
  if (u.hash) throw new InvalidError(field, "must not have a fragment (#...)");
  if (u.protocol !== "https:" && !(u.protocol === "http:" && LOOPBACK.has(u.hostname)))
    throw new InvalidError(field, "must be https (http only on localhost)");
  if (value.length > 2000) throw new InvalidError(field, "is longer than 2000 characters");
  return value;
}

/** A client's input checked: a name, 1-20 redirect URIs, optional post-logout and back-channel logout URIs. */
export function assertClientInput(c: ClientInput): Required<ClientInput> {
  const name = typeof c.name === "string" ? c.name.trim() : "";
  if (!/^[\p{L}\p{N} ._@-]{1,100}$/u.test(name))
    throw new InvalidError("name", "use 1-100 letters, digits, spaces, '.', '_', '@' or '-'");
  if (!Array.isArray(c.redirectUris) || c.redirectUris.length === 0 || c.redirectUris.length > 20)
    throw new InvalidError("redirectUris", "give 1 to 20 redirect URIs");
  const post = c.postLogoutRedirectUris ?? [];
  if (post.length > 20) throw new InvalidError("postLogoutRedirectUris", "give at most 20");
  return {
    name,
    redirectUris: c.redirectUris.map((u) => assertRedirectUri("redirectUris", u)),
    postLogoutRedirectUris: post.map((u) => assertRedirectUri("postLogoutRedirectUris", u)),
    backchannelLogoutUri: c.backchannelLogoutUri
      ? assertRedirectUri("backchannelLogoutUri", c.backchannelLogoutUri)
      : null,
  };
}
