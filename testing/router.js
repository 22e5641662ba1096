'use strict';

// A route table: method + path pattern -> handler. Patterns name their parameters in
// braces, as the OpenAPI document does (`/api/data-marts/{id}/runs/{runId}`), and a
// parameter may share its segment with literal text (`/reports/{reportId}.ndjson`).
// Literal segments win over parameters, so `/api/data-marts/runs` is never read as the
// data mart "runs" whatever order the table lists them in.

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(pattern) {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${pattern}`);
  const names = [];
  const segments = pattern.split('/').slice(1);
  const source = segments
    .map((segment) =>
      segment.replace(/\{(\w+)\}|([^{]+)/g, (_, name, literal) => {
        if (literal !== undefined) return escapeRegExp(literal);
        names.push(name);
        return '([^/]+?)';
      }),
    )
    .join('/');
  // Per segment: 0 for pure literal, 1 with a parameter. Compared left to right.
  const rank = segments.map((segment) => (segment.includes('{') ? 1 : 0));
  return { regexp: new RegExp(`^/${source}/?$`), names, rank };
}

function compareRank(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

class Router {
  #routes;

  /** `routes`: [{ method, path, handler, ...anything else the caller keeps on the route }]. */
  constructor(routes) {
    this.#routes = routes
      .map((route, order) => ({ ...route, method: route.method.toUpperCase(), order, ...compile(route.path) }))
      .sort((a, b) => compareRank(a.rank, b.rank) || a.order - b.order);
  }

  /** Every route, for documentation and tests: [{ method, path }]. */
  get routes() {
    return this.#routes.map(({ method, path }) => ({ method, path }));
  }

  /**
   * The route for `method` and `path` (no query string) and its decoded parameters, or
   * null. A parameter that is not valid percent-encoding does not match (Express answers
   * such a path with an error, never with the route).
   */
  match(method, path) {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const m = route.regexp.exec(path);
      if (m === null) continue;
      const params = {};
      let decoded = true;
      route.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1]);
        } catch {
          decoded = false;
        }
      });
      if (decoded) return { route, params };
    }
    return null;
  }
}

module.exports = { Router };
