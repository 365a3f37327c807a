import { type NextFunction, type Request, type Response, Router } from "express";
import { isUuid } from "../../../domain/ids";
import { formatCount, formatInstant } from "../i18n";
import type { ConsolePageDeps } from "../pages";
import { consoleCtx, localsOf } from "../session";
import { Field, Notice, Pager } from "../view/components";
import { type FormFailure, errorFor, formFailureOf, generalError } from "../view/form-failure";
import { textOf, valuesOf } from "../view/form-values";
import { Layout } from "../view/layout";
import { sendView } from "../view/render";
import { AddByNameForm, FoundPeople, MembersTable } from "./group-members";
import { T, fill } from "./groups.texts";

const PAGE = 50;
const FOUND = 20;
const uuidParams = (req: Request, _res: Response, next: NextFunction) =>
  next(Object.values(req.params).every((v) => isUuid(String(v))) ? undefined : "route");
const one = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const count = (v: unknown) => (Number.isInteger(Number(v)) && Number(v) >= 0 ? Number(v) : 0);

/**
 * /console/groups/{id}: a group (read-only: the identity provider owns it), its members paged by cursor, and for admins
 * the forms adding people (typed by userName or email, or ticked in a person search) and removing one, through
 * ScopedGroupsService as /admin/v1/groups/{id}/members: a limited admin sees and changes only the members in scope.
 */
export function groupPage(d: ConsolePageDeps): Router {
  const r = Router();
  const { scopedGroups, search } = d.services;

  const show = async (req: Request, res: Response, failed: { failure: FormFailure; typed: string } | null) => {
    const locals = localsOf(res);
    const t = T[locals.language];
    const ctx = consoleCtx(req, res);
    const id = String(req.params.id);
    const cursor = one(req.query.cursor);
    const find = (one(req.query.find) ?? "").slice(0, 200).trim();
    const group = await scopedGroups.get(ctx, id);
    const members = await scopedGroups.members(ctx, id, { limit: PAGE, cursor });
    const admin = locals.principal.role === "admin";
    const found =
      admin && find
        ? await search.search(ctx, { filter: { q: find }, sort: "userName", descending: false, limit: FOUND })
        : null;
    const done = one(req.query.done);
    const general = failed ? generalError(failed.failure, "names") : null;
    sendView(
      res,
      <Layout locals={locals} title={group.displayName} section="groups" here={req.originalUrl}>
        {done === "added" ? (
          <Notice>
            {fill(t.added, { n: formatCount(locals.language, count(req.query.added)) })}{" "}
            {count(req.query.already) > 0
              ? fill(t.alreadyMembers, { n: formatCount(locals.language, count(req.query.already)) })
              : ""}
          </Notice>
        ) : done === "removed" ? (
          <Notice>{t.removed}</Notice>
        ) : null}
        {general ? <Notice kind="error">{general}</Notice> : null}
        <p>
          <a href="/console/groups">{t.back}</a>
        </p>
        <p class="hint">
          <span aria-hidden="true">🔒 </span>
          {t.fromIdp}
        </p>
        <dl class="facts">
          <dt>{t.externalId}</dt>
          <dd>{group.externalId ?? ""}</dd>
          <dt>{t.members}</dt>
          <dd>{formatCount(locals.language, group.memberCount)}</dd>
          <dt>{t.created}</dt>
          <dd>{formatInstant(locals.language, group.createdAt)}</dd>
        </dl>
        {locals.principal.entityScope ? <p class="hint">{t.scoped}</p> : null}
        <h2 id="members">{t.members}</h2>
        <MembersTable
          lang={locals.language}
          groupId={id}
          members={members.items}
          csrf={admin ? locals.csrfToken : null}
        />
        <Pager
          prev={cursor ? `/console/groups/${id}#members` : null}
          next={
            members.nextCursor ? `/console/groups/${id}?cursor=${encodeURIComponent(members.nextCursor)}#members` : null
          }
          labels={{ prev: t.first, next: t.next, nav: t.pages }}
        />
        {admin ? (
          <section aria-labelledby="add">
            <h2 id="add">{t.add}</h2>
            <AddByNameForm
              lang={locals.language}
              groupId={id}
              csrf={locals.csrfToken}
              typed={failed?.typed ?? ""}
              error={failed ? errorFor(failed.failure, "names") : null}
            />
            <h3 id="find">{t.find}</h3>
            <form method="get" action={`/console/groups/${id}#find`} class="filters">
              <Field name="find" type="search" label={t.findLabel} value={find} />
              <button type="submit">{t.findButton}</button>
            </form>
            {found ? (
              <FoundPeople lang={locals.language} groupId={id} csrf={locals.csrfToken} found={found.items} />
            ) : null}
          </section>
        ) : null}
      </Layout>,
      failed?.failure.status ?? 200,
    );
  };

  r.get("/groups/:id", uuidParams, (req, res) => show(req, res, null));

  r.post("/groups/:id/members", uuidParams, async (req, res) => {
    const ctx = consoleCtx(req, res);
    const id = String(req.params.id);
    const ids = valuesOf(req.body, "ids");
    const typed = textOf(req.body, "names");
    try {
      const result =
        ids.length > 0
          ? await scopedGroups.addMembers(ctx, id, ids)
          : await scopedGroups.addMembersNamed(ctx, id, typed.split(/[\n,;]+/), {}, "names");
      const q = new URLSearchParams({
        done: "added",
        added: String(result.added.length),
        already: String(result.alreadyMembers.length),
      });
      res.redirect(303, `/console/groups/${id}?${q.toString()}`);
    } catch (e) {
      const failure = formFailureOf(e);
      if (!failure) throw e;
      await show(req, res, { failure, typed });
    }
  });

  r.post("/groups/:id/members/:userId/remove", uuidParams, async (req, res) => {
    const id = String(req.params.id);
    await scopedGroups.removeMember(consoleCtx(req, res), id, String(req.params.userId));
    res.redirect(303, `/console/groups/${id}?done=removed`);
  });
  return r;
}
