// client.request() under `tsc --strict`: route strings pick the params and result types
// generated from the server's OpenAPI document. Type-checked only, never run.
import { OWOXApiClient } from '@owox/api-client';
import type { OWOXApiComponents, OWOXRequestOptions, OWOXRoute, OWOXRouteParams, OWOXRouteResult } from '@owox/api-client';

type Schemas = OWOXApiComponents['schemas'];
/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function exactly<T extends true>(): void {}

async function tour(client: OWOXApiClient, options: OWOXRequestOptions): Promise<void> {
  // Path parameters by name, strings or numbers; the result is the 200 JSON body.
  const mart = await client.request('GET /api/data-marts/{id}', { id: 'm-1' }, options);
  const title: string = mart.title;
  exactly<Equal<typeof mart, Schemas['DataMartResponseApiDto']>>();

  // No params at all where the route needs none.
  const runs = await client.request('GET /api/data-marts/runs');
  const paged = await client.request('GET /api/data-marts/runs', { query: { limit: 10, offset: 0 } });

  // A required query (q), arrays in the query.
  const found = await client.request('GET /api/search', { query: { q: 'sales', entityTypes: ['DATA_MART', 'REPORT'] } });
  exactly<Equal<typeof found, Schemas['SearchResultResponseApiDto'][]>>();

  // A required JSON body; a 201 result; an optional body left out.
  const created = await client.request('POST /api/data-marts', { body: { title: 'Sales', storageId: 's-1' } });
  const createdId: string = created.id;
  await client.request('POST /api/data-marts/{id}/manual-run', { id: createdId });
  await client.request('PUT /api/data-marts/{id}/title', { id: createdId, body: { title: 'Renamed' } }, { timeout: 5_000 });

  // No success body: undefined. A text success body: string. No declared success: unknown.
  const deleted = await client.request('DELETE /api/data-marts/{id}', { id: createdId });
  exactly<Equal<typeof deleted, undefined>>();
  const html: string = await client.request('POST /api/markdown/parse-to-html', { body: { markdown: '# Hi' } });
  const status = await client.request('GET /api/data-marts/{dataMartId}/ai-assistant/run-triggers/{triggerId}/status', {
    dataMartId: createdId,
    triggerId: 7,
  });
  exactly<Equal<typeof status, unknown>>();

  // The helper types, for code that builds requests generically.
  const route: OWOXRoute = 'GET /api/reports/{id}';
  const params: OWOXRouteParams<'GET /api/reports/{id}'> = { id: 'r-1' };
  const report: OWOXRouteResult<'GET /api/reports/{id}'> = await client.request(route as 'GET /api/reports/{id}', params);
  void [title, runs, paged, html, report];
}

void tour;
