import { type Channel, channel } from 'node:diagnostics_channel';
import type { CassetteReport, StoredResponse } from '../types.js';
import { responseBytes, usageOf } from './usage.js';

/**
 * What the package tells about each request, call and cassette, on `node:diagnostics_channel`
 * (the ecosystem's convention for library events; undici publishes on it too). Every URL is
 * scrubbed. Nothing is built while no one subscribes.
 */
export const CHANNELS = {
  cassetteStart: 'cassettes:cassette:start',
  cassetteEnd: 'cassettes:cassette:end',
  request: 'cassettes:request',
  call: 'cassettes:call',
} as const;

export interface CassetteRef {
  name: string;
  file: string;
  mode: string;
}

export type RequestOutcome = 'replayed' | 'recorded' | 'refused' | 'warned' | 'passed-through' | 'outside' | 'late';

export interface RequestEvent {
  type: 'request';
  outcome: RequestOutcome;
  /** Undefined for a request outside any cassette. */
  cassette: CassetteRef | undefined;
  /** The first 12 hex digits of the request's key ('-' where it was not keyed). */
  key: string;
  method: string;
  url: string;
  status: number | undefined;
  durationMs: number;
  bytes: number;
  chunks: number;
  /** Token usage from the provider's usage fields, where the response has them. */
  usage: { inputTokens: number; outputTokens: number } | undefined;
}

export interface CallEvent {
  type: 'call';
  outcome: 'replayed' | 'recorded' | 'refused' | 'passed-through';
  cassette: CassetteRef;
  name: string;
  durationMs: number;
  failed: boolean;
}

export interface CassetteStartEvent {
  type: 'cassette:start';
  cassette: CassetteRef;
}

export interface CassetteEndEvent {
  type: 'cassette:end';
  cassette: CassetteRef;
  report: CassetteReport;
}

export type CassetteEvent = RequestEvent | CallEvent | CassetteStartEvent | CassetteEndEvent;

const channels: Record<keyof typeof CHANNELS, Channel> = {
  cassetteStart: channel(CHANNELS.cassetteStart),
  cassetteEnd: channel(CHANNELS.cassetteEnd),
  request: channel(CHANNELS.request),
  call: channel(CHANNELS.call),
};

/** Whether anyone listens on a channel: build the event only then. */
export function listening(which: keyof typeof CHANNELS): boolean {
  return channels[which].hasSubscribers;
}

export function publish(which: keyof typeof CHANNELS, event: CassetteEvent): void {
  channels[which].publish(event);
}

/** Every event of every channel, to one listener; returns the unsubscribe. */
export function subscribe(listener: (event: CassetteEvent) => void): () => void {
  const handler = (message: unknown): void => listener(message as CassetteEvent);
  for (const c of Object.values(channels)) c.subscribe(handler);
  return () => {
    for (const c of Object.values(channels)) c.unsubscribe(handler);
  };
}

/** A request event; `response`: what was served, where the outcome has one. */
export function requestEvent(
  outcome: RequestOutcome,
  cassette: CassetteRef | undefined,
  request: { method: string; url: string },
  key: string,
  response: StoredResponse | undefined,
  durationMs: number,
): RequestEvent {
  return {
    type: 'request',
    outcome,
    cassette,
    key,
    method: request.method,
    url: request.url,
    status: response?.status,
    durationMs,
    bytes: responseBytes(response),
    chunks: response?.chunks?.length ?? (response?.body ? 1 : 0),
    usage: usageOf(response),
  };
}
