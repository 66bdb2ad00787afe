import { describe, expect, test } from 'vitest';
import { responseSink } from './response-sink.js';

describe('responseSink', () => {
  test('a head fetch cannot build a Response from (an invalid header) fails the request instead of leaving it waiting', () => {
    const outcome: string[] = [];
    const sink = responseSink({ respond: () => void outcome.push('respond'), fail: (error) => void outcome.push(`fail ${error.name}`) });
    sink.head(200, 'OK', [['bad header', 'x']]);
    sink.data(Buffer.from('x'));
    sink.end();
    expect(outcome).toEqual(['fail TypeError']);
  });

  test('the same for a whole response with an impossible status', () => {
    const outcome: string[] = [];
    const sink = responseSink({ respond: () => void outcome.push('respond'), fail: (error) => void outcome.push(`fail ${error.name}`) });
    sink.whole(700, '', [], new Uint8Array([1]));
    sink.error(new Error('late'));
    expect(outcome).toEqual(['fail RangeError']);
  });
});
