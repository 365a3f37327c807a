import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The parts of oidc-provider (ESM-only, untyped here; Node >= 20.19 loads it with require()) Roster uses. Kept narrow
 * on purpose: everything else of the library stays behind src/http/oidc/.
 */
export interface InteractionDetails {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  result?: Record<string, unknown>;
  grantId?: string;
  lastSubmission?: Record<string, unknown>;
}

export interface GrantInstance {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

export interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionResult(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<string>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  use(mw: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  proxy: boolean;
  Grant: {
    new (init: { clientId: string; accountId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  };
}

export interface KoaContext {
  path: string;
  method: string;
  query: Record<string, unknown>;
  querystring: string;
  oidc?: Record<string, unknown>;
}

export type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

interface CheckClass {
  new (reason: string, description: string, check: (ctx: never) => boolean | Promise<boolean>): unknown;
  REQUEST_PROMPT: boolean;
  NO_NEED_TO_PROMPT: boolean;
}
interface PromptPolicy {
  get(name: string): { checks: { add(check: unknown, index?: number): void } };
}
interface OidcProviderModule {
  default: ProviderClass;
  interactionPolicy: { Check: CheckClass; base(): PromptPolicy };
}

const load = () => require("oidc-provider") as OidcProviderModule;

/** oidc-provider's default export. */
export function loadProviderClass(): ProviderClass {
  return load().default;
}

/**
 * The provider's default prompts, with one more login check: a session whose person is no longer live and active
 * (deactivated meanwhile) asks for a sign-in again instead of going on (the provider expects its session's account
 * to exist, and would fail on it).
 */
export function signInPolicy(): PromptPolicy {
  const { Check, base } = load().interactionPolicy;
  const policy = base();
  policy
    .get("login")
    .checks.add(
      new Check(
        "account_inactive",
        "the signed-in person is deactivated",
        (ctx: { oidc: { session: { accountId?: string }; account?: unknown } }) =>
          ctx.oidc.session.accountId && !ctx.oidc.account ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
      ),
      0,
    );
  return policy;
}
