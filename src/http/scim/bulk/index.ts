export { runBulk } from "./engine";
export type { BulkRun } from "./engine";
export { BULK_REQUEST_URN, parseBulkRequest } from "./request";
export { BULK_RESPONSE_URN, bulkResponse } from "./response";
export { BULK_ENDPOINTS, bulkTarget } from "./target";
export type { BulkRegistry, BulkTarget, BulkWriteResult, WriteHandlers } from "./target";
