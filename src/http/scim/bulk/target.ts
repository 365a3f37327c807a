import type { Ctx } from "../../../domain/context";

/** What one write produced (as users.handlers.ts returns it); the engine reports status, location and version. */
export interface BulkWriteResult {
  status: number;
  location?: string;
  version?: number;
  resource?: Record<string, unknown>;
}

/** The writes a bulk operation can make on one resource type (RFC 7644 §3.7: POST, PUT, PATCH, DELETE). */
export interface BulkTarget {
  create(ctx: Ctx, body: unknown, baseUrl: string): Promise<BulkWriteResult>;
  replace(ctx: Ctx, id: string, body: unknown, baseUrl: string, ifMatch?: number[]): Promise<BulkWriteResult>;
  patch(ctx: Ctx, id: string, body: unknown, baseUrl: string, ifMatch?: number[]): Promise<BulkWriteResult>;
  delete(ctx: Ctx, id: string, ifMatch?: number[]): Promise<BulkWriteResult>;
}

/** The SCIM endpoints a bulk operation may name. One absent from the registry answers 501 for that operation alone. */
export const BULK_ENDPOINTS = ["Users", "Groups"] as const;
export type BulkEndpoint = (typeof BULK_ENDPOINTS)[number];

/** Resource types /Bulk writes, by endpoint. Groups joins with one line: `Groups: bulkTarget(deps, { create: createGroup, ... })`. */
export type BulkRegistry = { Users: BulkTarget } & Partial<Record<BulkEndpoint, BulkTarget>>;

/** The four write handlers of a resource type, each taking its dependencies first (users.handlers.ts, groups.handlers.ts). */
export interface WriteHandlers<D> {
  create(deps: D, ctx: Ctx, body: unknown, baseUrl: string): Promise<BulkWriteResult>;
  replace(deps: D, ctx: Ctx, id: string, body: unknown, baseUrl: string, ifMatch?: number[]): Promise<BulkWriteResult>;
  patch(deps: D, ctx: Ctx, id: string, body: unknown, baseUrl: string, ifMatch?: number[]): Promise<BulkWriteResult>;
  delete(deps: D, ctx: Ctx, id: string, ifMatch?: number[]): Promise<BulkWriteResult>;
}

/** Binds a resource type's write handlers to their dependencies. */
export function bulkTarget<D>(deps: D, h: WriteHandlers<D>): BulkTarget {
  return {
    create: (ctx, body, baseUrl) => h.create(deps, ctx, body, baseUrl),
    replace: (ctx, id, body, baseUrl, ifMatch) => h.replace(deps, ctx, id, body, baseUrl, ifMatch),
    patch: (ctx, id, body, baseUrl, ifMatch) => h.patch(deps, ctx, id, body, baseUrl, ifMatch),
    delete: (ctx, id, ifMatch) => h.delete(deps, ctx, id, ifMatch),
  };
}
