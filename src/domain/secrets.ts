import { createHash } from "node:crypto";

/**
 * What is stored of a high-entropy secret (a bearer token, an invitation link's token): its SHA-256 in hex. The secret
 * has 256 random bits, so a fast hash is enough: nothing can be guessed from the digest.
 */
export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");
