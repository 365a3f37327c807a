import { Client } from "pg";

export interface Sent {
  text: string;
  values: unknown[];
}

/**
 * Every statement the app's pg clients send while `fn` runs, as PostgreSQL receives them (TypeORM's queries and
 * src/db/sql.ts's named ones), for tests that run them again under EXPLAIN.
 */
export async function statementsDuring(fn: () => Promise<void>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, "query").mockImplementation(function (this: Client, ...args: unknown[]) {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
    if (typeof first === "string") sent.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === "object") sent.push({ text: first.text, values: first.values ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as never);
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return sent;
}
