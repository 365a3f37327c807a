import { Router } from "express";
import { formatCount, formatInstant } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Field, Pager } from "../view/components";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { groupPage } from "./group.page";
import { T } from "./groups.texts";

const PAGE = 50;
const one = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * /console/groups: groups by name, searched and paged by cursor in PostgreSQL (ScopedGroupsService, as GET
 * /admin/v1/groups: member counts are of the members the reader may see). A group's page is group.page.tsx.
 */
export function groupsPage(d: ConsolePageDeps): Router {
  const r = Router();

  r.get("/groups", async (req, res) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const q = (one(req.query.q) ?? "").slice(0, 200);
    const cursor = one(req.query.cursor);
    const page = await d.services.scopedGroups.list(consoleCtx(req, res), q.trim() || null, { limit: PAGE, cursor });
    const withQ = (extra: string) =>
      `/console/groups?${new URLSearchParams({ ...(q ? { q } : {}) }).toString()}${extra}`;
    sendView(
      res,
      <Layout locals={locals} title={t.title} section="groups" here={req.originalUrl}>
        <p class="hint">{t.fromIdp}</p>
        <form method="get" action="/console/groups" class="filters">
          <Field name="q" type="search" label={t.search} value={q} />
          <button type="submit">{t.searchButton}</button>
        </form>
        {page.items.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <table>
            <caption>{t.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.externalId}</th>
                <th scope="col">{t.members}</th>
                <th scope="col">{t.updated}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((g) => (
                <tr>
                  <td>
                    <a href={`/console/groups/${g.id}`}>{g.displayName}</a>
                  </td>
                  <td>{g.externalId ?? ""}</td>
                  <td>{formatCount(locals.language, g.memberCount)}</td>
                  <td>{formatInstant(locals.language, g.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          prev={cursor ? withQ("") : null}
          next={page.nextCursor ? withQ(`${q ? "&" : ""}cursor=${encodeURIComponent(page.nextCursor)}`) : null}
          labels={{ prev: t.first, next: t.next, nav: t.pages }}
        />
      </Layout>,
    );
  });

  r.use(groupPage(d));
  return r;
}
