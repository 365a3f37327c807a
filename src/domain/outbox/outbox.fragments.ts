/**
 * The INSERT of the events in `eventsParam` (a jsonb array of {topic, payload}), written only when `guard` holds: a
 * data-modifying CTE of a change's own statement (unit-of-work.ts, its only user), so the events commit with it or not
 * at all.
 */
export const outboxInsertCte = (eventsParam: string, guard: string) => `INSERT INTO outbox (topic, payload)
        SELECT x.topic, x.payload FROM jsonb_to_recordset(${eventsParam}::jsonb) AS x(topic text, payload jsonb)
        WHERE ${guard}`;
