import { Router } from "express";
import { fromScimmy } from "./scim-errors";
import { SCIMMY, SCIM_CONTENT_TYPE, scimPagination } from "./scimmy";

type Readable = { read(): Promise<unknown> };

/** /ServiceProviderConfig, /ResourceTypes, /Schemas (RFC 7644 §4), produced by scimmy from what is declared. */
export function scimDiscoveryRouter(): Router {
  const r = Router({ caseSensitive: false });
  const send = (make: () => Readable) => async (_req: unknown, res: import("express").Response) => {
    const body = await make().read();
    res.status(200).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
  };
  const guard =
    <T>(make: () => T) =>
    () => {
      try {
        return make() as unknown as Readable;
      } catch (e) {
        throw fromScimmy(e, null, "invalid request");
      }
    };
  // RFC 9865 §4: scimmy knows no `pagination`, so it is added to what scimmy produces.
  const withPagination = (config: Readable): Readable => ({
    read: async () => ({ ...JSON.parse(JSON.stringify(await config.read())), pagination: scimPagination() }),
  });
  r.get(
    "/ServiceProviderConfig",
    send(guard(() => withPagination(new SCIMMY.Resources.ServiceProviderConfig() as unknown as Readable))),
  );
  // Microsoft's reference code and test collection read it at /serviceConfiguration.
  r.get(
    "/serviceConfiguration",
    send(guard(() => withPagination(new SCIMMY.Resources.ServiceProviderConfig() as unknown as Readable))),
  );
  r.get("/ResourceTypes", send(guard(() => new SCIMMY.Resources.ResourceType())));
  r.get("/ResourceTypes/:id", (req, res) =>
    send(guard(() => new SCIMMY.Resources.ResourceType(req.params.id)))(req, res),
  );
  r.get("/Schemas", send(guard(() => new SCIMMY.Resources.Schema())));
  r.get("/Schemas/:id", (req, res) => send(guard(() => new SCIMMY.Resources.Schema(req.params.id)))(req, res));
  return r;
}
