'use strict';
// Data marts: `list()` gathers every page, `iterate()` yields marts as pages arrive. Both
// walk the native pager, which keeps the repeated-offset guard and the prefetching.
// An aborted signal is honoured at every await point: while a page is fetched, between
// chunks of a page and between the marts `iterate()` hands out.

const { OWOXConfigError, abortError } = require('./errors.js');
const { callOptions, checkArgumentCount } = require('./options.js');
const { abortGuard, unwrap } = require('./call.js');

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The options `list()` and `iterate()` take on top of `{ signal, timeout, maxRetries }`. */
const LIST_OPTION_NAMES = ['offset', 'ownerFilter'];

function throwIfAborted(signal) {
  if (signal?.aborted) throw abortError(signal);
}

/**
 * Yields arrays of marts, one per chunk of a page, in server order. `retainAll` tells the
 * native pager whether the caller keeps every mart (`list()`) or drops them as it goes
 * (`iterate()`); it fetches ahead and hands over text accordingly.
 */
async function* chunks(native, options, retainAll) {
  const { signal, timeout, maxRetries, offset, ownerFilter } = options;
  throwIfAborted(signal);
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
      const { page } = unwrap(await (signal ? Promise.race([pager.next(), guard.aborted]) : pager.next()), signal);
      if (!page) return;
      for (let text = page.nextChunk(); text != null; text = page.nextChunk()) {
        yield JSON.parse(text);
        throwIfAborted(signal);
        // Between chunks, let other work run: no single parse holds the event loop long.
        await nextTurn();
        throwIfAborted(signal);
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
    checkArgumentCount(arguments, 'dataMarts.list', ['options?']);
    const checked = callOptions(options, 'dataMarts.list', LIST_OPTION_NAMES);
    const all = [];
    for await (const marts of chunks(this.#native, checked, true)) {
      for (const mart of marts) all.push(mart);
    }
    return all;
  }

  /**
   * An async iterable over data marts that fetches page by page as it is consumed (the
   * native pager prefetches one page ahead).
   */
  iterate(options) {
    checkArgumentCount(arguments, 'dataMarts.iterate', ['options?']);
    const checked = callOptions(options, 'dataMarts.iterate', LIST_OPTION_NAMES);
    const source = chunks(this.#native, checked, false);
    const { signal } = checked;
    return (async function* eachMart() {
      for await (const marts of source) {
        for (const mart of marts) {
          // The consumer awaited its own work since the last mart: the signal may have fired.
          throwIfAborted(signal);
          yield mart;
        }
      }
    })();
  }
}

module.exports = { DataMarts };
