/** Constants and assertion helpers shared by the HTTP conformance suites (test/conformance/*.test.ts). */
import type request from "supertest";
import { PATCH_OP } from "./factories";

export const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

// biome-ignore lint/suspicious/noExplicitAny: test-only shape for response bodies, read deep without casts; unknown would need a cast at every step.
export type Json = Record<string, any>;

/** `/Users?filter=...` with the filter URL-encoded; `extra` is appended as is (e.g. "&startIndex=1&count=100"). */
export const filterUrl = (filter: string, extra = "") => `/Users?filter=${encodeURIComponent(filter)}${extra}`;

export const expectScimJson = (res: request.Response) =>
  expect(res.headers["content-type"]).toMatch(/^application\/scim\+json/);

/** A SCIM Error response (RFC 7644 §3.12): the status, the SCIM content type, the Error schema and `status` as a string. */
export const expectScimError = (res: request.Response, status: number) => {
  expect(res.status).toBe(status);
  expectScimJson(res);
  expect(res.body.schemas).toEqual([ERROR_URN]);
  expect(res.body.status).toBe(String(status));
};

/** Entra and Okta both accept 200 with the resource or 204 with no body (a PATCH response need not contain the resource). */
export const expectPatchOk = (res: request.Response) => {
  expect([200, 204]).toContain(res.status);
  if (res.status === 200) expectScimJson(res);
};

/** Okta's (de)activation: a path-less replace of `active` (O6). */
export const oktaActive = (active: boolean) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: "replace", value: { active } }],
});
