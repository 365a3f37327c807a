import type { Language } from "../../../domain/language";
import { Field, Select } from "../view/components";
import { FILTER_CHOICES, FILTER_KEYS, type FilterKey, type PeopleFilterForm } from "./people-filters";
import { T } from "./people-list.texts";

export interface FilterFormProps {
  lang: Language;
  form: PeopleFilterForm;
  /** Drop-downs given a value they do not offer, and the search box's error (too many words...). */
  invalid: FilterKey[];
  qError?: string | null;
}

/**
 * The search box and one drop-down per status question, a GET form: the filters live in the address, so a filtered
 * list can be bookmarked, shared and paged, and works without JavaScript.
 */
export function SearchAndFilters({ lang, form, invalid, qError }: FilterFormProps) {
  const t = T[lang];
  return (
    <search>
      <form method="get" action="/console/people" class="filters">
        <Field name="q" type="search" label={t.search} hint={t.searchHint} value={form.q} error={qError} />
        {FILTER_KEYS.map((key) => (
          <Select
            name={key}
            label={t[key]}
            value={form[key]}
            error={invalid.includes(key) ? t.notOffered : null}
            options={[
              { value: "", label: t.any },
              ...FILTER_CHOICES[key].map((v) => ({ value: v, label: t[`${key}.${v}` as keyof typeof t] })),
            ]}
          />
        ))}
        <div class="field">
          <button type="submit">{t.apply}</button> <a href="/console/people">{t.reset}</a>
        </div>
      </form>
    </search>
  );
}
