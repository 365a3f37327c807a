import { randomUUID } from "node:crypto";
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: Biome 2.6 rejects valid TS; tsc checks it
import type * as Jose from "jose" with { "resolution-mode": "import" };
import type { Services } from "../../composition";
import { systemActor } from "../../domain/context";
import type { OutboxJob } from "../../domain/outbox/outbox.queue";
import { logger } from "../../log";
import { type OutboundOptions, outboundFetch } from "../../net/outbound-target";
import { type JobHandler, PermanentJobError } from "../../worker/outbox.worker";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/**
 * A leaver's reaction (lifecycle's OnLeave, `user.deactivated` and `user.deleted`): every client the person signed in
 * to that has a back-channel logout URI is sent a logout token (OpenID Back-Channel Logout 1.0, signed with the
 * provider's signing key, one per session id, through outboundFetch), then every session, grant, code and token of the
 * person is deleted, in every replica at once (the state is in PostgreSQL). The provider also refuses the person at
 * each step meanwhile (findAccount), so nothing waits on this job. Idempotent: a re-run finds nothing left to end.
 * A receiver that fails is logged, not retried: the logout does not wait on a client (the spec's best effort).
 */
export class EndSessionsOnLeave implements JobHandler {
  constructor(
    private readonly services: Pick<Services, "oidcState" | "oidcClients" | "oidcKeys">,
    private readonly issuer: string,
    private readonly outbound: OutboundOptions,
  ) {}

  async run(job: OutboxJob): Promise<void> {
    const { userId } = job.payload;
    if (typeof userId !== "string") throw new PermanentJobError(`${job.topic} without a userId`);
    const grants = await this.services.oidcState.grantsOf(userId);
    const receivers = await this.services.oidcClients.backchannelOf(grants.map((g) => g.clientId));
    if (receivers.length) {
      const [key] = await this.services.oidcKeys.keys({ actor: systemActor, door: "system", requestId: null });
      const jose = require("jose") as typeof Jose;
      const privateKey = await jose.importJWK(key, key.alg);
      for (const client of receivers) {
        const sids = grants.find((g) => g.clientId === client.clientId)?.sids ?? [];
        for (const sid of sids.length ? sids : [undefined]) {
          const token = await new jose.SignJWT({ events: { [BACKCHANNEL_EVENT]: {} }, ...(sid ? { sid } : {}) })
            .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "logout+jwt" })
            .setIssuer(this.issuer)
            .setAudience(client.clientId)
            .setSubject(userId)
            .setIssuedAt()
            .setExpirationTime("2m")
            .setJti(randomUUID())
            .sign(privateKey);
          await this.tell(client.backchannelLogoutUri!, token, client.clientId);
        }
      }
    }
    await this.services.oidcState.endAccount(userId);
  }

  private async tell(uri: string, logoutToken: string, clientId: string): Promise<void> {
    try {
      const res = await outboundFetch(
        uri,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ logout_token: logoutToken }).toString(),
        },
        this.outbound,
      );
      if (!res.ok) logger.warn({ clientId, status: res.status }, "back-channel logout refused by the client");
      await res.body?.cancel();
    } catch (err) {
      logger.warn({ err, clientId }, "back-channel logout not delivered");
    }
  }
}
