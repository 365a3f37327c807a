import type { Request, Response } from "express";
import type { GroupsService } from "../../domain/groups/groups.service";
import type { UsersService } from "../../domain/users/users.service";
import { FilterError } from "./filter";
import { groupAttributes } from "./group-attributes";
import { type Item, memberView, writeItems } from "./group-writer";
import { toScimGroup } from "./group.mapper";
import { type ListParams, listParamsFromSearch } from "./list-request";
import { project } from "./projection";
import { ScimError } from "./scim-errors";
import { userAttributes } from "./user-attributes";
import { toScimUser } from "./user.mapper";

export interface RootSearchOptions {
  users: UsersService;
  groups: GroupsService;
  maxResults: number;
  maxFilterLength: number;
  baseUrl: (req: Request) => string;
}

/**
 * POST /.search at the root (RFC 7644 §3.4.3): the search runs over Users and then Groups, paged as one list
 * (users first, each type in its own sortBy order). A filter that names attributes only one type has searches that
 * type alone; `meta.resourceType eq "Group"` picks a type. A filter neither type understands is a 400.
 */
export function rootSearch(o: RootSearchOptions) {
  const limits = { maxResults: o.maxResults, maxFilterLength: o.maxFilterLength };
  return async (req: Request, res: Response) => {
    const forUsers = attempt(() => listParamsFromSearch(req.body, userAttributes, limits));
    const forGroups = attempt(() => listParamsFromSearch(req.body, groupAttributes, limits));
    if (forUsers instanceof FilterError && forGroups instanceof FilterError) throw forUsers;
    const params = (forUsers instanceof FilterError ? forGroups : forUsers) as ListParams;
    if (params.cursor)
      throw new ScimError(
        400,
        "invalidValue",
        "cursor paging (RFC 9865) is offered on /Users/.search and /Groups/.search, not across types",
      );
    const { offset, limit } = params.query;
    const base = o.baseUrl(req);
    const items: Item[] = [];
    let usersTotal = 0;
    if (!(forUsers instanceof FilterError)) {
      const page = await o.users.list(forUsers.query);
      usersTotal = page.total;
      for (const u of page.users)
        items.push({ resource: project(toScimUser(u, base), params.attributes, params.excludedAttributes) });
    }
    let groupsTotal = 0;
    if (!(forGroups instanceof FilterError)) {
      const query = { ...forGroups.query, offset: Math.max(0, offset - usersTotal), limit: limit - items.length };
      const page = await o.groups.list(query);
      groupsTotal = page.total;
      for (const g of page.groups)
        items.push({
          resource: project(toScimGroup(g, base), params.attributes, params.excludedAttributes),
          membersOf: g.id,
        });
    }
    const view = memberView(params.attributes, params.excludedAttributes);
    await writeItems(res, 200, items, (id) => o.groups.memberPages(id), view, base, {
      totalResults: usersTotal + groupsTotal,
      startIndex: params.startIndex,
    });
  };
}

function attempt(parse: () => ListParams): ListParams | FilterError {
  try {
    return parse();
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
}
