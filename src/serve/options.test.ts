import { isAbsolute, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isCassetteError } from '../errors.js';
import { cassetteFile } from '../session/open-cassette.js';
import { checkCassetteName, keySources, parseTiming, sessionTiming } from './options.js';

describe('serve options', () => {
  test('a cassette name from a client either is refused or names a file inside the cassette folder (property)', () => {
    const dir = resolve('/tmp/cassettes-root');
    const piece = fc.oneof(fc.constantFrom('..', '.', '', '/', '\\', 'C:', '\u0000', 'a', 'chat', ' '), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.constantFrom('/', '\\', ''), (pieces, joiner) => {
        const name = pieces.join(joiner);
        let accepted: string | undefined;
        try {
          accepted = checkCassetteName(name, 'POST /__cassettes/sessions');
        } catch (error) {
          expect(isCassetteError(error) && error.code).toBe('LLM_CASSETTE_SERVE');
          return;
        }
        const file = cassetteFile(accepted, dir);
        const inside = relative(dir, file);
        expect(isAbsolute(inside) || inside === '..' || inside.startsWith(`..${sep}`), inside).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  test('timing: recorded, instant, or a speed factor > 0; anything else is refused', () => {
    expect(parseTiming('recorded', 'x')).toBe('recorded');
    expect(parseTiming('instant', 'x')).toBe('instant');
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (speed) => {
        expect(parseTiming(String(speed), 'x')).toEqual({ speed });
      }),
    );
    for (const bad of ['', ' ', '0', '-1', 'NaN', 'Infinity', 'fast', '2x']) expect(() => parseTiming(bad, '--timing')).toThrow(/invalid timing/);
  });

  test("a session's timing: its own, else the server's, else recorded (LLM_CASSETTE_TIMING, when set, is left to the in-process precedence)", () => {
    expect(sessionTiming('instant', 'recorded')).toBe('instant');
    expect(sessionTiming(undefined, { speed: 2 })).toEqual({ speed: 2 });
    const before = process.env['LLM_CASSETTE_TIMING'];
    delete process.env['LLM_CASSETTE_TIMING'];
    expect(sessionTiming(undefined, undefined)).toBe('recorded');
    process.env['LLM_CASSETTE_TIMING'] = 'instant';
    expect(sessionTiming(undefined, undefined)).toBeUndefined();
    if (before === undefined) delete process.env['LLM_CASSETTE_TIMING'];
    else process.env['LLM_CASSETTE_TIMING'] = before;
  });

  test('a key is named by its environment variable, never given on the command line', () => {
    expect(keySources({ openai: 'env:OPENAI_API_KEY' })).toEqual(new Map([['openai', 'OPENAI_API_KEY']]));
    expect(() => keySources({ openai: 'sk-live-1234' })).toThrow(/env:VAR/);
  });
});
