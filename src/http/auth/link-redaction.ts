/**
 * An invitation link's token is a password until used: request logs show `/auth/invitations/[token]` instead. A
 * console upload's CSRF token travels in its query (a multipart body is read only by the route): shown as `[token]`.
 */
export function redactLinkToken(url: string): string {
  return url.replace(/(\/auth\/invitations\/)[^/?#]+/i, "$1[token]").replace(/([?&]_csrf=)[^&#]*/, "$1[token]");
}
