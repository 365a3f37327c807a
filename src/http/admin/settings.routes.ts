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

/** PUT /admin/v1/settings/field-ownership: each named field's owner; the domain names an unknown field (400). */
const FieldOwnershipBody = z.strictObject({ fields: z.record(z.string(), z.unknown()) });

/** PUT /admin/v1/settings/idp-domains: the email domains an identity provider owns. */
const IdpDomainsBody = z.strictObject({ domains: z.array(z.string().max(253)).max(1000) });

const versioned = <T>(res: Response, s: Versioned<T>, body: (v: T) => unknown) =>
  void res.set("ETag", etagOf(s.version)).json(body(s.value));

/** /admin/v1/settings: platform settings admins change at run time. Admins and auditors read; admins of the whole organisation write. */
export function settingsRouter(settings: SettingsService): Router {
  const r = Router();

  r.get("/communication", async (_req, res) => present(res, await settings.communicationVersioned()));

  r.put("/communication", async (req, res) => {
    const body = CommunicationBody.parse(req.body);
    present(res, await settings.setCommunication(adminCtx(req, res), body, ifMatchVersions(req)));
  });

  r.get("/field-ownership", async (_req, res) =>
    versioned(res, await settings.fieldOwnershipVersioned(), (fields) => ({ fields })),
  );

  r.put("/field-ownership", async (req, res) => {
    const body = FieldOwnershipBody.parse(req.body);
    const saved = await settings.setFieldOwnership(adminCtx(req, res), body.fields, ifMatchVersions(req));
    versioned(res, saved, (fields) => ({ fields }));
  });

  r.get("/idp-domains", async (_req, res) => versioned(res, await settings.idpDomainsVersioned(), (v) => v));

  r.put("/idp-domains", async (req, res) => {
    const body = IdpDomainsBody.parse(req.body);
    versioned(res, await settings.setIdpDomains(adminCtx(req, res), body.domains, ifMatchVersions(req)), (v) => v);
  });

  return r;
}
