import { type JsonWebKey, createHash, generateKeyPairSync } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import type { SecretBox } from "../secret-box";
import { unitOfWork, withDb, writeIn } from "../unit-of-work";
import { OidcKeysRepository } from "./oidc-keys.repository";

const PURPOSE = "oidc.key";
const ALG = "RS256";

/** A private signing key as the provider takes it (a JWK with kid, alg and use). */
export type SigningJwk = JsonWebKey & { kid: string; alg: string; use: "sig" };

/**
 * The provider's signing keys, kept in PostgreSQL with their private part sealed (secret-box, purpose "oidc.key").
 * The first is made on first start (safe when replicas start at once: one unique index, one insert wins); a rotation
 * retires the signing key, which stays published for `verifySeconds` (the longest lifetime of a token it signed), and
 * makes a new one. Replicas notice a rotation by `version()` (src/http/oidc/provider-holder.ts).
 */
export class OidcKeysService {
  private readonly repo = new OidcKeysRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    private readonly verifySeconds: number,
  ) {}

  /** The published keys, the signing key first; makes the first one when there is none. */
  async keys(ctx: Ctx): Promise<SigningJwk[]> {
    let rows = await withDb(() => this.repo.published(this.ds.manager));
    if (!rows.some((r) => r.retiredAt === null)) {
      await unitOfWork(this.ds, ctx, (tx) => this.addIn(tx, "oidc_key.created"));
      rows = await withDb(() => this.repo.published(this.ds.manager));
    }
    return rows.map((r) => JSON.parse(this.box.open(r.sealedPrivateJwk, PURPOSE)) as SigningJwk);
  }

  version(): Promise<string> {
    return withDb(() => this.repo.version(this.ds.manager));
  }

  /** Retires the signing key (still verifying for verifySeconds) and makes a new one; answers the new key id. */
  rotate(ctx: Ctx): Promise<{ kid: string; retired: string | null }> {
    return unitOfWork(this.ds, ctx, async (tx) => {
      await this.repo.lockAll(tx.manager);
      const retired = await this.repo.retireSigning(tx.manager, this.verifySeconds);
      const kid = await this.addIn(tx, "oidc_key.rotated", retired);
      return { kid: kid!, retired };
    });
  }

  private async addIn(tx: Parameters<Parameters<typeof unitOfWork>[2]>[0], action: string, retired?: string | null) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pub = publicKey.export({ format: "jwk" });
    const kid = createHash("sha256").update(`${pub.n}.${pub.e}`).digest("base64url").slice(0, 22);
    const priv: SigningJwk = { ...privateKey.export({ format: "jwk" }), kid, alg: ALG, use: "sig" };
    const row = await writeIn<{ kid: string }>(
      tx,
      this.repo.insertFirst(
        kid,
        ALG,
        { ...pub, kid, alg: ALG, use: "sig" },
        this.box.seal(JSON.stringify(priv), PURPOSE),
      ),
      {
        audits: [
          {
            action,
            subject: { type: "oidc_key", id: null },
            changes: { kid, alg: ALG, ...(retired ? { retired } : {}) },
          },
        ],
        events: [],
      },
    );
    return row?.kid ?? null;
  }
}
