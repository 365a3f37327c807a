import { Router } from "express";
import { z } from "zod";
import type { CredentialsService } from "../../domain/auth/credentials.service";
import { ctxOf } from "../middleware/request-context";

const Login = z.string().trim().min(1).max(320);
const Secret = z.string().min(1).max(1024);
const LoginBody = z.object({ login: Login, password: Secret });
const ChangeBody = z.object({ login: Login, currentPassword: Secret, newPassword: z.string() });

/** POST /auth/login and /auth/password: who a login and password identify, and changing one's password. No sessions. */
export function passwordRouter(credentials: CredentialsService): Router {
  const r = Router();
  r.post("/login", async (req, res) => {
    const { login, password } = LoginBody.parse(req.body ?? {});
    res.json(await credentials.login(ctxOf(req, res, "auth"), login, password));
  });
  r.post("/password", async (req, res) => {
    const b = ChangeBody.parse(req.body ?? {});
    res.json({
      ...(await credentials.changePassword(ctxOf(req, res, "auth"), b.login, b.currentPassword, b.newPassword)),
      passwordChanged: true,
    });
  });
  return r;
}
