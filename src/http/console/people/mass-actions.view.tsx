import type { ComponentChildren } from "preact";
import type { UserCount } from "../../../domain/users/users.search";
import { formatCount } from "../i18n";
import type { ConsoleLocals } from "../session";
import { CsrfField } from "../view/components";
import { type PeopleFilterForm, filterQuery, narrows } from "./people-filters";
import { T, fill } from "./people-list.texts";

export interface MassActionsProps {
  locals: ConsoleLocals;
  form: PeopleFilterForm;
  count: string;
  matching: UserCount;
  /** The table of people, whose checkboxes (`ids`) are this form's selection. */
  children: ComponentChildren;
}

/**
 * The mass actions (admins only): the rows ticked, or everyone matching the filters (the same filter the list shows,
 * carried back as a hidden copy of the list's query), then invite, deactivate or activate. A plain form: it posts and
 * lands on the job's progress page, with or without JavaScript.
 */
export function MassActionsForm({ locals, form, matching, children }: MassActionsProps) {
  const t = T[locals.language];
  const all = narrows(form);
  const n = matching.exact
    ? formatCount(locals.language, matching.count)
    : `> ${formatCount(locals.language, matching.count)}`;
  return (
    <form method="post" action="/console/people/actions">
      <CsrfField token={locals.csrfToken} />
      <input type="hidden" name="filter" value={filterQuery(form).toString()} />
      <fieldset>
        <legend>{t.actOn}</legend>
        <div>
          <input type="radio" id="target-selected" name="target" value="selected" checked />
          <label for="target-selected">{t.selected}</label>
        </div>
        {all ? (
          <div>
            <input type="radio" id="target-all" name="target" value="all" />
            <label for="target-all">{fill(t.allMatching, { n })}</label>
          </div>
        ) : (
          <p class="hint">{t.filterFirst}</p>
        )}
        <div class="actions">
          <button type="submit" name="action" value="invite">
            {t.invite}
          </button>{" "}
          <button type="submit" name="action" value="disable" class="secondary">
            {t.disable}
          </button>{" "}
          <button type="submit" name="action" value="enable" class="secondary">
            {t.enable}
          </button>
        </div>
      </fieldset>
      {children}
    </form>
  );
}
