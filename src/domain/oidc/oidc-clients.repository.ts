import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface ClientRow {
  clientId: string;
  name: string;
  sealedSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  createdAt: Date;
}

const COLUMNS = `client_id AS "clientId", name, sealed_secret AS "sealedSecret", redirect_uris AS "redirectUris",
  post_logout_redirect_uris AS "postLogoutRedirectUris", backchannel_logout_uri AS "backchannelLogoutUri",
  created_at AS "createdAt"`;

/** SQL over `oidc_clients`: the platform's clients of Roster's OpenID Provider. */
export class OidcClientsRepository {
  insert(c: Omit<ClientRow, "createdAt">): Statement {
    return {
      text: `INSERT INTO oidc_clients (client_id, name, sealed_secret, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri)
             VALUES ($1, $2, $3, $4::text[], $5::text[], $6) RETURNING ${COLUMNS}`,
      values: [c.clientId, c.name, c.sealedSecret, c.redirectUris, c.postLogoutRedirectUris, c.backchannelLogoutUri],
    };
  }

  /** `c` unless a client with its id exists (the console's own client, made by whichever replica starts first). */
  insertIfAbsent(c: Omit<ClientRow, "createdAt">): Statement {
    const insert = this.insert(c);
    return { ...insert, text: insert.text.replace("RETURNING", "ON CONFLICT (client_id) DO NOTHING RETURNING") };
  }

  /** New redirect URIs for a client, only when they differ (nothing written, nothing returned otherwise). */
  setRedirectUris(clientId: string, redirectUris: string[], postLogoutRedirectUris: string[]): Statement {
    return {
      text: `UPDATE oidc_clients SET redirect_uris = $2::text[], post_logout_redirect_uris = $3::text[]
             WHERE client_id = $1
               AND (redirect_uris IS DISTINCT FROM $2::text[] OR post_logout_redirect_uris IS DISTINCT FROM $3::text[])
             RETURNING ${COLUMNS}`,
      values: [clientId, redirectUris, postLogoutRedirectUris],
    };
  }

  delete(clientId: string): Statement {
    return {
      text: `DELETE FROM oidc_clients WHERE client_id = $1 RETURNING client_id AS "clientId", name`,
      values: [clientId],
    };
  }

  async find(m: EntityManager, clientId: string): Promise<ClientRow | null> {
    const rows = await sql<ClientRow>(m, `SELECT ${COLUMNS} FROM oidc_clients WHERE client_id = $1`, [clientId]);
    return rows[0] ?? null;
  }

  async findByName(m: EntityManager, name: string): Promise<ClientRow | null> {
    const rows = await sql<ClientRow>(m, `SELECT ${COLUMNS} FROM oidc_clients WHERE lower(name) = lower($1)`, [name]);
    return rows[0] ?? null;
  }

  /** Every client, by name (a platform has a handful). */
  list(m: EntityManager): Promise<ClientRow[]> {
    return sql<ClientRow>(m, `SELECT ${COLUMNS} FROM oidc_clients ORDER BY lower(name) LIMIT 1000`);
  }

  /** The clients among `ids` with a back-channel logout URI. */
  withBackchannel(m: EntityManager, ids: string[]): Promise<ClientRow[]> {
    return sql<ClientRow>(
      m,
      `SELECT ${COLUMNS} FROM oidc_clients WHERE client_id = ANY($1::text[]) AND backchannel_logout_uri IS NOT NULL`,
      [ids],
    );
  }
}
