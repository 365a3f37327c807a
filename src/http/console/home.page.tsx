import { Router } from "express";
import { PERMISSIONS } from "../../domain/access/permissions";
import type { Texts } from "./i18n";
import type { ConsolePageDeps } from "./pages";
import { localsOf } from "./session";
import { Layout } from "./view/layout";
import { sendView } from "./view/render";

const T: Texts<"title" | "role" | "scope" | "everywhere" | "some" | "allows" | "start" | "people" | "add" | "import"> =
  {
    en: {
      title: "Roster console",
      role: "Your role",
      scope: "Your reach",
      everywhere: "the whole organisation",
      some: "the people of some entities (and their sub-entities)",
      allows: "What it allows",
      start: "Start here",
      people: "Find people",
      add: "Add a person or several",
      import: "Import a CSV or Excel file",
    },
    fr: {
      title: "Console Roster",
      role: "Votre rôle",
      scope: "Votre périmètre",
      everywhere: "toute l'organisation",
      some: "les personnes de certaines entités (et de leurs sous-entités)",
      allows: "Ce qu'il permet",
      start: "Pour commencer",
      people: "Chercher des personnes",
      add: "Ajouter une ou plusieurs personnes",
      import: "Importer un fichier CSV ou Excel",
    },
  };

/** /console: who you are in the console, what your role allows, and where to start. */
export function homePage(_d: ConsolePageDeps): Router {
  const r = Router();
  r.get("/", (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const { principal } = locals;
    sendView(
      res,
      <Layout locals={locals} title={t.title} here={req.originalUrl}>
        <dl class="facts">
          <dt>{t.role}</dt>
          <dd>{principal.role}</dd>
          <dt>{t.scope}</dt>
          <dd>{principal.entityScope ? t.some : t.everywhere}</dd>
          <dt>{t.allows}</dt>
          <dd>
            <ul>
              {PERMISSIONS[principal.role].map((p) => (
                <li>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <h2>{t.start}</h2>
        <ul>
          <li>
            <a href="/console/people">{t.people}</a>
          </li>
          {principal.role === "admin" ? (
            <>
              <li>
                <a href="/console/people/new">{t.add}</a>
              </li>
              <li>
                <a href="/console/imports">{t.import}</a>
              </li>
            </>
          ) : null}
        </ul>
      </Layout>,
    );
  });
  return r;
}
