import { AccessService } from "../domain/access/access.service";
import { AuditChainService } from "../domain/audit-log/audit-chain.service";
import { AuditLogService } from "../domain/audit-log/audit-log.service";
import { AuditSealer } from "../domain/audit-log/audit-sealer";
import { SignInEventsService } from "../domain/audit-log/sign-in-events.service";
import { SettingsService } from "../domain/settings/settings.service";
import { TokensService } from "../domain/tokens/tokens.service";
import type { Foundation } from "./foundation";

/** access, settings, tokens, audit-log: built first, the people area reads its settings. */
export interface AccessServices {
  access: AccessService;
  settings: SettingsService;
  tokens: TokensService;
  audit: AuditLogService;
  auditChain: AuditChainService;
  auditSealer: AuditSealer;
  /** Sign-in attempts and refusals read from the audit log (GET /admin/v1/sign-in-events). */
  signInEvents: SignInEventsService;
}

export function buildAccess({ ds, cfg, repositories }: Foundation): AccessServices {
  return {
    access: new AccessService(ds),
    settings: new SettingsService(ds),
    tokens: new TokensService(ds, repositories.users, cfg.TOKEN_CACHE_SECONDS * 1000),
    audit: new AuditLogService(ds),
    auditChain: new AuditChainService(ds),
    auditSealer: new AuditSealer(ds),
    signInEvents: new SignInEventsService(ds),
  };
}
