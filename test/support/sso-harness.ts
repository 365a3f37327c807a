import express from "express";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Request, Response } from "express";
import { signInMethodRouters } from "../../src/http/auth/sign-in-methods";
import { type InteractionFinisher, completeSignIn } from "../../src/http/oidc/complete-sign-in.impl";
import { type TestApp, startTestApp } from "./app";
import { type CompanyIdp, startCompanyIdp } from "./company-idp";

export interface SsoHarness {
  t: TestApp;
  idp: CompanyIdp;
  /** Roster's base URL (PUBLIC_BASE_URL), on a real port. */
  base: string;
  /** Creates a connection to the test IdP (the admin API), registering its redirect URI there; its id. */
  connect(body?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * Roster on a real port (so the company IdP can send the browser back) and a company IdP on another, with the SSO and
 * sign-up routers mounted as signInMethodRouters gives them, in front of the app. The interaction is ended by a
 * stand-in finisher that answers the signed-in account as JSON, so these tests read who signed in without a platform
 * client; CompleteSignIn itself (its recording of the success) is the real one. The whole path through Roster's own
 * OpenID Provider is test/integration/sso-end-to-end.test.ts.
 */
export async function startSsoHarness(env: Record<string, string> = {}): Promise<SsoHarness> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestApp({ PUBLIC_BASE_URL: base, ALLOW_PRIVATE_TARGETS: "true", ...env });
  const idp = await startCompanyIdp();
  const finisher: InteractionFinisher = {
    isOpen: async () => true,
    finish: async (_req: Request, res: Response, uid: string, accountId: string) => void res.json({ uid, accountId }),
  };
  const outer = express();
  outer.use(
    "/auth",
    ...signInMethodRouters({
      cfg: t.cfg,
      ds: t.ds,
      services: t.services,
      complete: completeSignIn(t.services.signIns, finisher),
    }),
  );
  outer.use(t.app);
  server.on("request", outer);
  return {
    t,
    idp,
    base,
    async connect(body = {}) {
      const res = await t.admin.post("/sso-connections", {
        name: `Corp ${Math.random().toString(36).slice(2, 8)}`,
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        jit: { enabled: false },
        ...body,
      });
      if (res.status !== 201) throw new Error(`connection not created: ${res.status} ${JSON.stringify(res.body)}`);
      idp.allowRedirect(res.body.redirectUri);
      return res.body.id as string;
    },
    async close() {
      await idp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}
