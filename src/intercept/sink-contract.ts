import type { ResponseSink } from './types.js';

type State = 'waiting' | 'streaming' | 'whole' | 'ended';

/**
 * The response contract, enforced in one place: a head (or one whole response) first, then data,
 * then exactly one end or error; nothing after that. Every sink a producer (the network, a replay,
 * a refusal, a mock) writes into goes through this, so no sink keeps a flag of its own for it.
 * @note a whole response may still be errored (an abort while its body is unread), as fetch does;
 * an end before any head is turned into an error, so a caller is never left waiting forever.
 */
export function sinkContract<S extends ResponseSink>(inner: S): S & { readonly ended: boolean } {
  let state: State = 'waiting';
  const guarded: ResponseSink & { readonly ended: boolean } = {
    get ended() {
      return state === 'ended';
    },
    head(status, statusText, headers) {
      if (state !== 'waiting') return;
      state = 'streaming';
      inner.head(status, statusText, headers);
    },
    data(chunk) {
      if (state !== 'streaming') return;
      return inner.data(chunk);
    },
    end() {
      if (state === 'ended' || state === 'whole') return;
      if (state === 'waiting') {
        state = 'ended';
        inner.error(new Error('cassettes: the response ended before its head'));
        return;
      }
      state = 'ended';
      inner.end();
    },
    error(error) {
      if (state === 'ended') return;
      state = 'ended';
      inner.error(error);
    },
  };
  if (inner.paced) Object.defineProperty(guarded, 'paced', { value: true });
  const whole = inner.whole;
  if (whole) {
    guarded.whole = (status, statusText, headers, body) => {
      if (state !== 'waiting') return;
      state = 'whole';
      whole.call(inner, status, statusText, headers, body);
    };
  }
  return guarded as S & { readonly ended: boolean };
}

/** The sink, with `done` called once the response has ended or failed. */
export function whenSettled(sink: ResponseSink, done: () => void): ResponseSink {
  const wrapped: ResponseSink = {
    head: (status, statusText, headers) => sink.head(status, statusText, headers),
    data: (chunk) => sink.data(chunk),
    end: () => {
      sink.end();
      done();
    },
    error: (error) => {
      sink.error(error);
      done();
    },
  };
  if (sink.paced) Object.defineProperty(wrapped, 'paced', { value: true });
  const whole = sink.whole;
  if (whole) {
    wrapped.whole = (status, statusText, headers, body) => {
      whole.call(sink, status, statusText, headers, body);
      done();
    };
  }
  return wrapped;
}
