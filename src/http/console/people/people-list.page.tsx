import { type Request, type Response, Router } from "express";
import { InvalidError } from "../../../domain/errors";
import type { UserCount, UserSearchPage } from "../../../domain/users/users.search";
import { formatCount } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Notice, Pager } from "../view/components";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { MassActionsForm } from "./mass-actions.view";
import {
  type FilterKey,
  type PeopleFilterForm,
  pageLinks,
  readFilterForm,
  readTrail,
  toSearchFilter,
} from "./people-filters";
import { SearchAndFilters } from "./people-filters.view";
import { T, fill } from "./people-list.texts";
import { PeopleTable } from "./people-table";

/** People shown on a page of the list (the admin search's default page). */
export const PAGE_SIZE = 50;
/**
 * The list counts matching people up to this many only (the rows past it are never read), then says "more than" with
 * PostgreSQL's estimate: a list of a million people costs what a page does.
 */
export const COUNT_CAP = 10_000;

/** What a rendering of the list shows besides the page itself. */
export interface ListState {
  form: PeopleFilterForm;
  invalid: FilterKey[];
  cursor?: string;
  trail: string[];
  /** An error about the mass action just refused, shown above the list (400 with the selection kept). */
  error?: string | null;
  checked?: ReadonlySet<string>;
  status?: number;
}

/** GET /console/people: search, status filters, a page of people with a bounded count, and (admins) mass actions. */
export function peopleListPage(d: ConsolePageDeps): Router {
  const r = Router();
  r.get("/people", async (req, res) => {
    const { form, invalid } = readFilterForm(req.query as Record<string, unknown>);
    const q = req.query as Record<string, unknown>;
    const cursor = typeof q.cursor === "string" && q.cursor ? q.cursor.slice(0, 2000) : undefined;
    await showPeople(d, req, res, {
      form,
      invalid,
      cursor,
      trail: readTrail(q.back),
      status: invalid.length ? 400 : 200,
    });
  });
  return r;
}

/** Renders the list for `state` (the GET, and a refused mass action re-rendering what the admin had chosen). */
export async function showPeople(d: ConsolePageDeps, req: Request, res: Response, state: ListState): Promise<void> {
  const locals = localsOf(res);
  const t = T[locals.language];
  const ctx = consoleCtx(req, res);
  const filter = toSearchFilter(state.form);
  let { cursor, status = 200, error = null } = state;
  let qError: string | null = null;
  const read = async (): Promise<[UserSearchPage, UserCount]> =>
    Promise.all([
      d.services.search.search(ctx, { filter, sort: "userName", descending: false, cursor, limit: PAGE_SIZE }),
      d.services.search.countUpTo(ctx, filter, COUNT_CAP),
    ]);
  let found: [UserSearchPage, UserCount] = [
    { items: [], nextCursor: null },
    { count: 0, exact: true, estimate: 0 },
  ];
  try {
    found = await read();
  } catch (e) {
    if (!(e instanceof InvalidError)) throw e;
    status = 400;
    if (e.field === "q") qError = e.message;
    else {
      // A cursor from another search or a hand-edited address: say so, and show the first page.
      error = e.message;
      cursor = undefined;
      found = await read();
    }
  }
  const [page, count] = found;
  const entityNames = await d.services.entities.names(
    ctx,
    page.items.map((u) => u.entityId).filter((id): id is string => id !== null),
  );
  const links = pageLinks(state.form, cursor, state.trail, page.nextCursor);
  const lang = locals.language;
  const n = formatCount(lang, count.count);
  const countText = count.exact
    ? count.count === 1
      ? t.countOne
      : fill(t.countExact, { n })
    : fill(t.countMore, { n, estimate: formatCount(lang, count.estimate) });
  const admin = locals.principal.role === "admin";
  const table = (
    <PeopleTable
      lang={lang}
      people={page.items}
      entityNames={entityNames}
      selectable={admin}
      checked={state.checked ?? new Set()}
    />
  );
  sendView(
    res,
    <Layout locals={locals} title={t.title} section="people" here={req.originalUrl}>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <SearchAndFilters lang={lang} form={state.form} invalid={state.invalid} qError={qError} />
      <p id="people-count">{countText}</p>
      {page.items.length === 0 ? (
        <p>{t.none}</p>
      ) : admin ? (
        <MassActionsForm locals={locals} form={state.form} count={countText} matching={count}>
          {table}
        </MassActionsForm>
      ) : (
        table
      )}
      <Pager prev={links.prev} next={links.next} labels={{ prev: t.prev, next: t.next, nav: t.pages }} />
      <p>
        <a href="/console/jobs">{t.jobs}</a>
      </p>
    </Layout>,
    status,
  );
}
