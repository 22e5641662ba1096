'use strict';
// `dataMarts.list()` and `iterate()` over a caller-supplied transport: the same walk the
// native pager does (first request without a query, then `offset=<nextOffset>` until it is
// null, a repeated offset refused), one page at a time and without prefetching, since a
// transport is a plain object whose concurrency we know nothing about.

const { OWOXApiError, OWOXConfigError, abortError } = require('./errors.js');
const { callOptions, checkArgumentCount } = require('./options.js');
const { isRecord } = require('./arguments.js');

const PATH = '/api/data-marts';
const OPTION_NAMES = ['offset', 'ownerFilter'];
const OWNER_FILTERS = ['has_owners', 'no_owners'];

function isPage(body) {
  return (
    isRecord(body) &&
    Array.isArray(body.items) &&
    typeof body.total === 'number' &&
    (typeof body.nextOffset === 'number' || body.nextOffset === null)
  );
}

function checkListOptions(options, callName) {
  const { signal, timeout, maxRetries, offset, ownerFilter } = callOptions(options, callName, OPTION_NAMES);
  if (offset !== undefined && (!Number.isSafeInteger(offset) || offset < 0)) {
    throw new OWOXConfigError(`${callName}(): offset must be a non-negative integer`);
  }
  if (ownerFilter !== undefined && !OWNER_FILTERS.includes(ownerFilter)) {
    throw new OWOXConfigError(`${callName}(): ownerFilter must be one of ${OWNER_FILTERS.join(', ')}`);
  }
  return { call: { signal, timeout, maxRetries }, offset, ownerFilter };
}

/** Yields each page's items, in server order. */
async function* pages(exchange, { call, offset, ownerFilter }) {
  const requested = new Set([offset ?? 0]);
  let next = offset;
  for (;;) {
    const query = {};
    if (next !== undefined) query.offset = String(next);
    if (ownerFilter !== undefined) query.ownerFilter = ownerFilter;
    const body = await exchange({ method: 'GET', path: PATH, query: next === undefined && !ownerFilter ? undefined : query }, call);
    if (!isPage(body)) {
      throw new OWOXApiError('OWOX Data Marts API returned an unexpected response shape', { details: body });
    }
    yield body.items;
    if (body.nextOffset === null) return;
    if (requested.has(body.nextOffset)) {
      throw new OWOXApiError(`OWOX Data Marts API returned repeated nextOffset ${body.nextOffset}`, { details: body });
    }
    requested.add(body.nextOffset);
    next = body.nextOffset;
  }
}

/** `{ list, iterate }` of `dataMarts` over `exchange`. */
function dataMartPages(exchange) {
  return {
    async list(...args) {
      checkArgumentCount(args, 'dataMarts.list', ['options?']);
      const all = [];
      for await (const items of pages(exchange, checkListOptions(args[0], 'dataMarts.list'))) all.push(...items);
      return all;
    },
    iterate(...args) {
      checkArgumentCount(args, 'dataMarts.iterate', ['options?']);
      const options = checkListOptions(args[0], 'dataMarts.iterate');
      const source = pages(exchange, options);
      const { signal } = options.call;
      return (async function* eachMart() {
        for await (const items of source) {
          for (const item of items) {
            // An abort is honoured between marts too, as the native pager's iterate() does.
            if (signal?.aborted) throw abortError(signal);
            yield item;
          }
        }
      })();
    },
  };
}

module.exports = { dataMartPages };
