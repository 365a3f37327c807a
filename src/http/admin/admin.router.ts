import express, { Router } from "express";
import { AccessService } from "../../domain/access/access.service";
import { AuditLogService } from "../../domain/audit-log/audit-log.service";
import { TokensService } from "../../domain/tokens/tokens.service";
import { UsersService } from "../../domain/users/users.service";
import { AdminJwtSettings, adminAuth, writesNeedAdmin } from "./admin-auth";
import { auditRoutes } from "./audit.routes";
import { Problem, problemErrorHandler } from "./problem";

export interface AdminDeps {
  users: UsersService;
  tokens: TokensService;
  access: AccessService;
  audit: AuditLogService;
  bodyLimitBytes: number;
  jwt?: AdminJwtSettings;
}

const JSON_TYPES = ["application/json", "application/*+json"];

/** The admin REST door, mounted at /admin/v1 (described in openapi.yaml); answers application/problem+json on errors. */
export function adminRouter(d: AdminDeps): Router {
  const r = Router();
  r.use(adminAuth({ tokens: d.tokens, access: d.access, jwt: d.jwt }));
  r.use(writesNeedAdmin);
  r.use(express.json({ type: JSON_TYPES, limit: d.bodyLimitBytes, strict: true }));

  r.use("/audit", auditRoutes(d.audit));

  r.use((req) => {
    throw new Problem(404, "not_found", `No admin endpoint at ${req.method} ${req.originalUrl.split("?")[0]}`);
  });
  r.use(problemErrorHandler);
  return r;
}
