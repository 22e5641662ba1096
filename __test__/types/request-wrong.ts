// Must NOT type-check: the types test runs tsc on it and expects an error on each marked line.
import { OWOXApiClient } from '@owox/api-client';

declare const client: OWOXApiClient;
void client.request('GET /api/members', {}); // line 5: refuses API keys, not a route
void client.request('GET /api/data-marts/{id}', {}); // line 6: id missing
void client.request('GET /api/data-marts/{id}', { id: 'x', body: {} }); // line 7: no body on this route
void client.request('GET /api/search'); // line 8: query.q is required
void client.request('PUT /api/data-marts/{id}/title', { id: 'x', body: { title: 1 } }); // line 9: title is a string
export async function f(): Promise<number> {
  return (await client.request('GET /api/data-marts/{id}', { id: 'x' })).title; // line 11: a string, not a number
}
