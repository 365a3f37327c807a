import { createHash, randomBytes } from "node:crypto";

/**
 * What is stored of a high-entropy secret (a bearer token, an invitation link's token): its SHA-256 in hex. The secret
 * has 256 random bits, so a fast hash is enough: nothing can be guessed from the digest.
 */
/** A fresh secret: 256 random bits, url-safe (43 base64url characters). Bearer tokens and invitation links use it. */
export const newSecret = (): string => randomBytes(32).toString("base64url");

/** What `newSecret` makes; anything else cannot be one of ours and is not looked up. */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Roster's bearer tokens: a recognisable prefix (secret scanners find leaked ones), then a secret. */
export const newApiToken = (): string => `rst_${newSecret()}`;

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");
