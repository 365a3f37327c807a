const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` is a uuid (rows are keyed by uuids; anything else names no row, and is never sent to PostgreSQL). */
export const isUuid = (id: string) => UUID.test(id);
