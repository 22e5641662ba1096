'use strict';
// Data marts: `list()` gathers every page, `iterate()` yields marts as pages arrive. Both
// walk the native pager, which keeps the repeated-offset guard and the prefetching.

const { OWOXConfigError, abortError } = require('./errors.js');
const { dataMartOptions } = require('./options.js');
const { abortGuard, unwrap } = require('./call.js');

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Yields arrays of marts, one per chunk of a page, in server order. `retainAll` tells the
 * native pager whether the caller keeps every mart (`list()`) or drops them as it goes
 * (`iterate()`); it fetches ahead and hands over text accordingly.
 */
async function* chunks(native, options, retainAll) {
  const { signal, timeout, maxRetries, offset, ownerFilter } = options;
  if (signal?.aborted) throw abortError(signal);
  // Every pager gets a call id, so leaving the loop early also stops its prefetches.
  const callId = native.beginCall();
  let pager;
  try {
    pager = native.dataMarts(offset, ownerFilter, retainAll, { callId, timeout, maxRetries });
  } catch (error) {
    native.cancel(callId);
    throw new OWOXConfigError(error.message);
  }
  const guard = abortGuard(signal, native, callId);
  try {
    for (;;) {
      const { page } = unwrap(await (signal ? Promise.race([pager.next(), guard.aborted]) : pager.next()));
      if (!page) return;
      for (let text = page.nextChunk(); text != null; text = page.nextChunk()) {
        yield JSON.parse(text);
        // Between chunks, let other work run: no single parse holds the event loop long.
        await nextTurn();
      }
    }
  } finally {
    guard.dispose();
    native.cancel(callId);
  }
}

class DataMarts {
  #native;

  constructor(native) {
    this.#native = native;
  }

  /** Every data mart, all pages, in server order. */
  async list(options) {
    const all = [];
    for await (const marts of chunks(this.#native, dataMartOptions(options), true)) {
      for (const mart of marts) all.push(mart);
    }
    return all;
  }

  /** An async iterable over data marts that fetches page by page as it is consumed. */
  iterate(options) {
    const source = chunks(this.#native, dataMartOptions(options), false);
    return (async function* eachMart() {
      for await (const marts of source) yield* marts;
    })();
  }
}

module.exports = { DataMarts };
