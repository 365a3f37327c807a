import { type NextFunction, type Request, type Response, Router } from "express";
import QRCode from "qrcode";
import { z } from "zod";
import { isUuid } from "../../domain/ids";
import type { SignUpSetting } from "../../domain/settings/setting-kinds";
import type { Versioned } from "../../domain/settings/settings.service";
import type { SignUpService, SignupLinkView } from "../../domain/sso/signup.service";
import { adminCtx } from "./admin-auth";
import { etagOf, ifMatchVersions } from "./if-match";

/** PUT /admin/v1/settings/sign-up (the contract's names). */
const SignUpBody = z.strictObject({
  enabled: z.boolean(),
  defaultRole: z.enum(["member", "admin", "auditor"]).optional(),
  defaultEntityId: z.guid().nullable().optional(),
  defaultJobProfile: z.string().max(200).nullable().optional(),
});

const NewLink = z.strictObject({ expiresAt: z.iso.datetime({ offset: true }).nullable().optional() });

const presentSetting = (res: Response, s: Versioned<SignUpSetting>) =>
  void res.set("ETag", etagOf(s.version)).json(s.value);

const presentLink = (l: SignupLinkView) => ({
  id: l.id,
  entityId: l.entityId,
  url: l.url,
  expiresAt: l.expiresAt?.toISOString() ?? null,
  revokedAt: l.revokedAt?.toISOString() ?? null,
  createdAt: l.createdAt.toISOString(),
});

/** The QR code of a link's URL, as a PNG (data URL) and an SVG document, made with the qrcode package. */
async function qrCodes(url: string) {
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(url, { errorCorrectionLevel: "M", margin: 2, width: 320 }),
    QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 }),
  ]);
  return { png, svg };
}

const uuidParams = (req: Request, _res: Response, next: NextFunction) =>
  next(Object.values(req.params).every((v) => isUuid(String(v))) ? undefined : "route");

/** /admin/v1/settings/sign-up: self sign-up on or off, and what new accounts get. */
export function signUpSettingRouter(signUp: SignUpService, read: () => Promise<Versioned<SignUpSetting>>): Router {
  const r = Router();
  r.get("/", async (_req, res) => presentSetting(res, await read()));
  r.put("/", async (req, res) => {
    const b = SignUpBody.parse(req.body);
    const value: SignUpSetting = {
      enabled: b.enabled,
      defaultRole: b.defaultRole ?? "member",
      defaultEntityId: b.defaultEntityId ?? null,
      defaultJobProfile: b.defaultJobProfile ?? null,
    };
    presentSetting(res, await signUp.setSetting(adminCtx(req, res), value, ifMatchVersions(req)));
  });
  return r;
}

/**
 * /admin/v1/entities/{id}/signup-links: department sign-up links (signed URLs, with their QR codes as PNG and SVG),
 * listed and revoked; a link may expire.
 */
export function signupLinksRouter(signUp: SignUpService): Router {
  const r = Router();
  r.post("/:id/signup-links", uuidParams, async (req, res) => {
    const b = NewLink.parse(req.body ?? {});
    const link = await signUp.createLink(
      adminCtx(req, res),
      String(req.params.id),
      b.expiresAt ? new Date(b.expiresAt) : null,
    );
    res
      .status(201)
      .location(`${req.baseUrl}/${req.params.id}/signup-links/${link.id}`)
      .json({ ...presentLink(link), qrCode: await qrCodes(link.url) });
  });
  r.get("/:id/signup-links", uuidParams, async (req, res) => {
    res.json({ items: (await signUp.listLinks(String(req.params.id))).map(presentLink) });
  });
  r.post("/:id/signup-links/:linkId/revoke", uuidParams, async (req, res) => {
    const link = await signUp.revokeLink(adminCtx(req, res), String(req.params.id), String(req.params.linkId));
    res.json(presentLink(link));
  });
  return r;
}
