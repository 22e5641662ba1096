// The types of `client.request(route, params?, options?)`, derived from the operation types
// openapi-typescript generated from the server's OpenAPI document (./openapi.d.ts, via the
// route map in ./routes.generated.d.ts). Nothing here names an endpoint: a new document and
// `npm run generate:types` give new routes their types.

import type { OWOXRequestOptions } from '../index';
import type { OWOXApiKeyRoutes } from './routes.generated';

export type { OWOXApiKeyRoutes } from './routes.generated';
export type { paths as OWOXApiPaths, operations as OWOXApiOperations, components as OWOXApiComponents } from './openapi';

/** Every route `client.request()` accepts: `'METHOD /path/{param}'`, exactly as in the server's OpenAPI document. */
export type OWOXRoute = keyof OWOXApiKeyRoutes;

type Operation<R extends OWOXRoute> = OWOXApiKeyRoutes[R];

/** Flattens an intersection, so editors show one object type. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type PathOf<R extends string> = R extends `${string} ${infer Path}` ? Path : never;
type PlaceholderNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PlaceholderNames<Rest>
  : never;

/**
 * The path parameters of `R`, one per `{placeholder}` of its path. Read from the path
 * itself, because the document does not declare every placeholder as a parameter. Values are
 * percent-encoded (`encodeURIComponent`) into the path.
 */
export type OWOXRoutePathParams<R extends OWOXRoute> = {
  [Name in PlaceholderNames<PathOf<R>>]: string | number;
};

type QueryOf<Op> = Op extends { parameters: { query?: unknown } } ? Op['parameters']['query'] : undefined;
type QueryPart<Op> = [NonNullable<QueryOf<Op>>] extends [never]
  ? { query?: never }
  : undefined extends QueryOf<Op>
    ? { query?: NonNullable<QueryOf<Op>> }
    : { query: NonNullable<QueryOf<Op>> };

type RequestBodyOf<Op> = Op extends { requestBody?: unknown } ? Op['requestBody'] : undefined;
type JsonContent<B> = B extends { content: { 'application/json': infer Json } } ? Json : never;
type BodyPart<Op> = [NonNullable<RequestBodyOf<Op>>] extends [never]
  ? { body?: never }
  : undefined extends RequestBodyOf<Op>
    ? { body?: JsonContent<NonNullable<RequestBodyOf<Op>>> }
    : { body: JsonContent<RequestBodyOf<Op>> };

/**
 * The second argument of `client.request(route, params)`: the path parameters by name, plus
 * `query` (the operation's query parameters; an array is sent as one `name=value` per item,
 * or comma-joined where the document says so) and `body` (its JSON request body). `query`
 * and `body` are required when the operation requires them, and absent when it takes none.
 */
export type OWOXRouteParams<R extends OWOXRoute> = Simplify<
  OWOXRoutePathParams<R> & QueryPart<Operation<R>> & BodyPart<Operation<R>>
>;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | '2XX';
type ResponsesOf<Op> = Op extends { responses: infer Responses } ? Responses : never;
type SuccessResponses<Op> = ResponsesOf<Op>[keyof ResponsesOf<Op> & SuccessStatus];
type ResponseValue<Response> = Response extends { content: infer Content }
  ? 'application/json' extends keyof Content
    ? Content['application/json' & keyof Content]
    : string
  : undefined;

/**
 * What `client.request(route)` resolves to: the JSON body of the operation's success
 * responses; a string for a text body (e.g. `text/html`, NDJSON); `undefined` when a success
 * response has no body; `unknown` when the document declares no success response.
 */
export type OWOXRouteResult<R extends OWOXRoute> = [SuccessResponses<Operation<R>>] extends [never]
  ? unknown
  : ResponseValue<SuccessResponses<Operation<R>>>;

/** `params` may be left out when the route has no path parameter and no required query or body. */
export type OWOXRequestArgs<R extends OWOXRoute> = {} extends OWOXRouteParams<R>
  ? [params?: OWOXRouteParams<R>, options?: OWOXRequestOptions]
  : [params: OWOXRouteParams<R>, options?: OWOXRequestOptions];

/**
 * `client.request(route, params?, options?)`: any operation of the server that accepts an
 * API key. Sends `route`'s method to its path with each `{placeholder}` filled from `params`
 * (percent-encoded), `params.query` as the query string and `params.body` as a JSON body;
 * resolves to the parsed response body.
 *
 * Rejects with `OWOXConfigError`, before any request, for a route that is not an API-key
 * operation (those that refuse API keys and the public ones included), a missing or empty
 * path parameter, a missing required body, a body on an operation that takes none, or a
 * path the safe-path rules refuse; with `OWOXApiError` / `OWOXAuthError` as every call.
 *
 * @example
 * const mart = await client.request('GET /api/data-marts/{id}', { id });
 * const runs = await client.request('GET /api/data-marts/{id}/runs', { id, query: { limit: 10 } });
 * await client.request('PUT /api/data-marts/{id}/title', { id, body: { title: 'Sales' } }, { timeout: 5000 });
 */
export type OWOXRequestFunction = <R extends OWOXRoute>(
  route: R,
  ...args: OWOXRequestArgs<R>
) => Promise<OWOXRouteResult<R>>;
