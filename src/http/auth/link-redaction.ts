/** An invitation link's token is a password until used: request logs show `/auth/invitations/[token]` instead. */
export function redactLinkToken(url: string): string {
  return url.replace(/(\/auth\/invitations\/)[^/?#]+/i, "$1[token]");
}
