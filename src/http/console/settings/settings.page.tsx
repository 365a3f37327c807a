import { type Request, type Response, Router } from "express";
import { isUuid } from "../../../domain/ids";
import type { CommunicationSetting } from "../../../domain/settings/communication";
import type { IdpDomains, SignUpSetting } from "../../../domain/settings/setting-kinds";
import type { FieldOwnership } from "../../../domain/users/field-ownership";
import { adminOnly } from "../admin-only";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Notice } from "../view/components";
import { textOf, ticked } from "../view/form-values";
import { type FieldError, FormFieldError, fieldErrorOf } from "../view/field-errors";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { CommunicationForm, FieldOwnershipForm, IdpDomainsForm, SignUpForm } from "./settings.forms";
import { T, doneText } from "./settings.texts";

type Body = Record<string, unknown>;
/** What the admin typed in the form that failed, shown again with the error beside its field. */
type Failed =
  | { form: "communication"; typed: CommunicationSetting; err: FieldError }
  | { form: "sign-up"; typed: SignUpSetting; err: FieldError }
  | { form: "field-ownership"; typed: FieldOwnership; err: FieldError }
  | { form: "idp-domains"; typed: string; err: FieldError };

const versionOf = (body: Body): number[] | undefined => {
  const v = Number.parseInt(textOf(body, "version"), 10);
  return Number.isInteger(v) && v >= 0 ? [v] : undefined;
};

const communicationOf = (b: Body): CommunicationSetting => ({
  autoInvite: { scim: ticked(b, "autoInvite.scim"), csv: ticked(b, "autoInvite.csv") },
  channels: { email: ticked(b, "channels.email"), sms: ticked(b, "channels.sms") },
});

/** The sign-up form as the setting (the entity id as typed: checked before the service is called). */
function signUpOf(b: Body): SignUpSetting {
  const role = textOf(b, "defaultRole");
  const job = textOf(b, "defaultJobProfile").trim();
  return {
    enabled: ticked(b, "enabled"),
    defaultRole: role === "admin" || role === "auditor" ? role : "member",
    defaultEntityId: textOf(b, "defaultEntityId") || null,
    defaultJobProfile: job === "" ? null : job,
  };
}

/** The `fields.<name>` selects of the form, as the PUT's `fields` (the service names an unknown field or owner). */
const ownershipOf = (b: Body): Record<string, unknown> =>
  Object.fromEntries(Object.entries(b).flatMap(([k, v]) => (k.startsWith("fields.") ? [[k.slice(7), v]] : [])));

/**
 * /console/settings: the communication setting, self sign-up, field ownership and the IdP's email domains, each its
 * own form posting to the same SettingsService (and SignUpService) as PUT /admin/v1/settings/*, with the version read
 * sent back so a change made meanwhile is refused rather than overwritten.
 */
export function settingsPage(d: ConsolePageDeps): Router {
  const { settings, signUp, entities } = d.services;
  const r = Router();
  r.use("/settings", adminOnly);

  const show = async (req: Request, res: Response, failed: Failed | null = null) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const [comm, sign, own, dom, ents] = await Promise.all([
      settings.communicationVersioned(),
      settings.signUpVersioned(),
      settings.fieldOwnershipVersioned(),
      settings.idpDomainsVersioned(),
      entities.list(consoleCtx(req, res)),
    ]);
    const base = { lang: locals.language, csrf: locals.csrfToken };
    const errOf = (form: Failed["form"]) => (failed?.form === form ? failed.err : null);
    const done = doneText(locals.language, req.query.done);
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="settings" here={req.originalUrl}>
        {done ? <Notice>{done}</Notice> : null}
        <h2>{t.communication}</h2>
        <p class="hint">{t.communicationHelp}</p>
        <CommunicationForm
          {...base}
          version={comm.version}
          err={errOf("communication")}
          value={failed?.form === "communication" ? failed.typed : comm.value}
        />
        <h2>{t.signUp}</h2>
        <p class="hint">{t.signUpHelp}</p>
        <SignUpForm
          {...base}
          version={sign.version}
          err={errOf("sign-up")}
          entities={ents}
          value={failed?.form === "sign-up" ? failed.typed : sign.value}
        />
        <h2>{t.ownership}</h2>
        <p class="hint">{t.ownershipHelp}</p>
        <FieldOwnershipForm
          {...base}
          version={own.version}
          err={errOf("field-ownership")}
          value={failed?.form === "field-ownership" ? failed.typed : own.value}
        />
        <h2>{t.idpDomains}</h2>
        <p class="hint">{t.idpDomainsHelp}</p>
        <IdpDomainsForm
          {...base}
          version={dom.version}
          err={errOf("idp-domains")}
          value={dom.value as IdpDomains}
          typed={failed?.form === "idp-domains" ? failed.typed : undefined}
        />
      </Layout>,
      failed ? failed.err.status : 200,
    );
  };

  r.get("/settings", (req, res) => show(req, res));

  /** Runs a setting's save; a field error shows the form again with what was typed, anything else the error page. */
  const save = (
    form: Failed["form"],
    run: (req: Request, res: Response, b: Body) => Promise<unknown>,
    typed: (b: Body) => unknown,
  ) =>
    r.post(`/settings/${form}`, async (req, res) => {
      const b = req.body as Body;
      try {
        await run(req, res, b);
        res.redirect(303, `/console/settings?done=${form}`);
      } catch (e) {
        const err = fieldErrorOf(e);
        if (!err) throw e;
        await show(req, res, { form, typed: typed(b), err } as Failed);
      }
    });

  save(
    "communication",
    (req, res, b) => settings.setCommunication(consoleCtx(req, res), communicationOf(b), versionOf(b)),
    communicationOf,
  );
  save(
    "sign-up",
    (req, res, b) => {
      const value = signUpOf(b);
      if (value.defaultEntityId !== null && !isUuid(value.defaultEntityId))
        throw new FormFieldError("defaultEntityId", T[localsOf(res).language].notAnEntity);
      if ((value.defaultJobProfile ?? "").length > 200)
        throw new FormFieldError("defaultJobProfile", "at most 200 characters");
      return signUp.setSetting(consoleCtx(req, res), value, versionOf(b));
    },
    signUpOf,
  );
  save(
    "field-ownership",
    (req, res, b) => settings.setFieldOwnership(consoleCtx(req, res), ownershipOf(b), versionOf(b)),
    (b) => ({ ...ownershipOf(b) }),
  );
  save(
    "idp-domains",
    (req, res, b) => {
      const domains = textOf(b, "domains")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      if (domains.length > 1000) throw new FormFieldError("domains", "at most 1000 domains");
      return settings.setIdpDomains(consoleCtx(req, res), domains, versionOf(b));
    },
    (b) => textOf(b, "domains"),
  );
  return r;
}
