import type { Response } from "express";
import type { Member } from "../../domain/groups/group";
import { logger } from "../../log";
import { toScimMember } from "./group.mapper";
import { type ListHead, listHead } from "./list-request";
import { SCIM_CONTENT_TYPE } from "./scimmy";

type Json = Record<string, unknown>;

/** Which members a response shows, from attributes / excludedAttributes (RFC 7644 §3.4.2.5). */
export interface MemberView {
  /** False: the response has no `members`, and group_members is not read at all. */
  include: boolean;
  /** Sub-attributes to keep (undefined: all of them). */
  keep?: Set<string>;
  drop: Set<string>;
}

const names = (list?: string) =>
  (list ?? "")
    .split(",")
    .map((s) =>
      s
        .trim()
        .toLowerCase()
        .replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/, ""),
    )
    .filter(Boolean);

export function memberView(attributes?: string, excluded?: string): MemberView {
  if (attributes) {
    const wanted = names(attributes).filter((n) => n === "members" || n.startsWith("members."));
    if (wanted.length === 0) return { include: false, drop: new Set() };
    if (wanted.includes("members")) return { include: true, drop: new Set() };
    return { include: true, keep: new Set(wanted.map((n) => n.slice("members.".length))), drop: new Set() };
  }
  const dropped = names(excluded);
  if (dropped.includes("members")) return { include: false, drop: new Set() };
  return {
    include: true,
    drop: new Set(dropped.filter((n) => n.startsWith("members.")).map((n) => n.slice("members.".length))),
  };
}

/** An item of a response: a resource, and the group whose members are streamed into it (if any). */
export interface Item {
  resource: Json;
  membersOf?: string;
}

export type MemberSource = (groupId: string) => AsyncIterable<Member[]>;

/**
 * Writes one resource or a ListResponse, streaming each group's members page by page (RFC 7644 §3.4.2): the
 * process holds one page of members at a time, however large the group. Once the head is sent an error can
 * no longer become a SCIM error: the connection is cut so the client never mistakes a partial list for a whole one.
 */
export async function writeItems(
  res: Response,
  status: number,
  items: Item[],
  members: MemberSource,
  view: MemberView,
  baseUrl: string,
  list?: ListHead,
): Promise<void> {
  res.status(status).type(SCIM_CONTENT_TYPE);
  try {
    if (list) await write(res, `${JSON.stringify(listHead(list, items.length)).slice(0, -1)},"Resources":[`);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) await write(res, ",");
      await writeItem(res, items[i], members, view, baseUrl);
    }
    if (list) await write(res, "]}");
    res.end();
  } catch (e) {
    logger.error({ err: e }, "SCIM response cut short while streaming group members");
    res.destroy();
  }
}

async function writeItem(
  res: Response,
  item: Item,
  members: MemberSource,
  view: MemberView,
  baseUrl: string,
): Promise<void> {
  const head = JSON.stringify(item.resource);
  if (!item.membersOf || !view.include) return write(res, head);
  await write(res, `${head.slice(0, -1)}${head.length > 2 ? "," : ""}"members":[`);
  let first = true;
  for await (const page of members(item.membersOf)) {
    const text = page.map((m) => JSON.stringify(shape(toScimMember(m, baseUrl), view))).join(",");
    await write(res, first ? text : `,${text}`);
    first = false;
  }
  await write(res, "]}");
}

function shape(member: Json, view: MemberView): Json {
  if (!view.keep && view.drop.size === 0) return member;
  const out: Json = {};
  for (const [k, v] of Object.entries(member)) {
    const key = k.toLowerCase();
    if ((view.keep ? view.keep.has(key) : true) && !view.drop.has(key)) out[k] = v;
  }
  return out;
}

/** Writes with backpressure: waits for the socket to drain (or close, if the client went away). */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) throw new Error("the client closed the connection");
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
