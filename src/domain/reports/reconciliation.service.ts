import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { NOT_A_CURSOR, encodeJsonCursor, jsonCursor } from "../cursor";
import { InvalidError, RefusedError } from "../errors";
import { isUuid } from "../ids";
import { scopeOf } from "../scope";
import { withDb } from "../unit-of-work";
import {
  RECONCILIATION_KINDS,
  type ReconciliationKind,
  type ReconciliationLine,
  type ReconciliationQuery,
  explain,
} from "./reconciliation";
import { type KindKey, ReconciliationRepository } from "./reconciliation.repository";

export interface ReconciliationRequest {
  staleDays: number;
  since: Date | null;
  limit: number;
  cursor?: string;
}

/** Where a report stands: the kind it is in, and the last row of that kind it gave (null: the kind's start). */
interface Position {
  k: number;
  p: KindKey | null;
}

/**
 * GET /admin/v1/reports/reconciliation (decision 0105): what Roster and the identity provider disagree on, paged kind
 * after kind with keyset positions in SQL. The IdP-owned email domains come from the idp-domains setting.
 */
export class ReconciliationService {
  private readonly repo = new ReconciliationRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly idpDomains: () => Promise<string[]>,
  ) {}

  /** One page of lines and the cursor of the next (null at the end). */
  async page(ctx: Ctx, r: ReconciliationRequest): Promise<{ items: ReconciliationLine[]; next: string | null }> {
    assertWholeOrganisation(ctx);
    const q = await this.query(r);
    let at = r.cursor ? position(r.cursor) : { k: 0, p: null };
    const items: ReconciliationLine[] = [];
    while (at.k < RECONCILIATION_KINDS.length && items.length < r.limit) {
      const kind = RECONCILIATION_KINDS[at.k];
      if (!applies(kind, q)) {
        at = { k: at.k + 1, p: null };
        continue;
      }
      const want = r.limit - items.length;
      const rows = await withDb(() => this.repo.page(this.ds.manager, kind, q, at.p, want + 1));
      items.push(...rows.slice(0, want).map((row) => explain(row, q)));
      at = rows.length > want ? { k: at.k, p: JSON.parse(rows[want - 1].key) } : { k: at.k + 1, p: null };
    }
    return { items, next: at.k < RECONCILIATION_KINDS.length ? encodeJsonCursor(at) : null };
  }

  /** Every line, a page at a time (the CSV export streams them; memory holds one page). */
  async *all(ctx: Ctx, r: Omit<ReconciliationRequest, "cursor">): AsyncIterable<ReconciliationLine[]> {
    let cursor: string | undefined;
    do {
      const page = await this.page(ctx, { ...r, cursor });
      if (page.items.length > 0) yield page.items;
      cursor = page.next ?? undefined;
    } while (cursor);
  }

  private async query(r: ReconciliationRequest): Promise<ReconciliationQuery> {
    return { staleDays: r.staleDays, since: r.since, idpDomains: await this.idpDomains() };
  }
}

/** A kind that needs an input it was not given is left out (no `since`, no IdP domains). */
function applies(kind: ReconciliationKind, q: ReconciliationQuery): boolean {
  if (kind === "not_pushed_since") return q.since !== null;
  if (kind === "hand_made_in_idp_domain") return q.idpDomains.length > 0;
  return true;
}

function position(cursor: string): Position {
  const v = jsonCursor(cursor) as Position | null;
  const ok =
    v !== null &&
    typeof v === "object" &&
    Number.isInteger(v.k) &&
    v.k >= 0 &&
    v.k <= RECONCILIATION_KINDS.length &&
    (v.p === null || wellFormedKey(RECONCILIATION_KINDS[v.k], v.p));
  if (!ok) throw new InvalidError("cursor", `'${cursor}' ${NOT_A_CURSOR}`);
  return v;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** A key of the shape the kind's SQL wrote: (timestamp, uuid) for people, an audit seq for membership changes. */
function wellFormedKey(kind: ReconciliationKind | undefined, p: unknown): boolean {
  if (!Array.isArray(p) || !kind) return false;
  if (kind === "admin_change_in_idp_group") return p.length === 1 && /^\d{1,18}$/.test(String(p[0]));
  return p.length === 2 && typeof p[0] === "string" && TIMESTAMP.test(p[0]) && typeof p[1] === "string" && isUuid(p[1]);
}

/** The report reads people and groups of every entity: an admin or auditor limited to some entities may not. */
function assertWholeOrganisation(ctx: Ctx): void {
  if (scopeOf(ctx) !== null) {
    throw new RefusedError(
      "out_of_scope",
      "forbidden",
      "The reconciliation report covers the whole organisation: only an admin or auditor of the whole organisation may read it",
    );
  }
}
