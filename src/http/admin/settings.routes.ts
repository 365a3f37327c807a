import { type Response, Router } from "express";
import { z } from "zod";
import type { CommunicationSetting } from "../../domain/settings/communication";
import type { SettingsService, Versioned } from "../../domain/settings/settings.service";
import { adminCtx } from "./admin-auth";
import { etagOf, ifMatchVersions } from "./if-match";

/** PUT /admin/v1/settings/communication: the whole setting, every field named (a PUT replaces). */
const CommunicationBody = z.strictObject({
  autoInvite: z.strictObject({ scim: z.boolean(), csv: z.boolean() }),
  channels: z.strictObject({ email: z.boolean(), sms: z.boolean() }),
});

const present = (res: Response, s: Versioned<CommunicationSetting>) =>
  void res.set("ETag", etagOf(s.version)).json({ autoInvite: s.value.autoInvite, channels: s.value.channels });

/** /admin/v1/settings: platform settings admins change at run time. Admins and auditors read; admins of the whole organisation write. */
export function settingsRouter(settings: SettingsService): Router {
  const r = Router();

  r.get("/communication", async (_req, res) => present(res, await settings.communicationVersioned()));

  r.put("/communication", async (req, res) => {
    const body = CommunicationBody.parse(req.body);
    present(res, await settings.setCommunication(adminCtx(req, res), body, ifMatchVersions(req)));
  });

  return r;
}
