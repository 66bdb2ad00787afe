import { storedBodyBytes, tryParseJson } from '../match/body.js';
import {
  type AnswerSummary,
  errorMessageOf,
  type RequestSummary,
  readAnswer,
  readStreamAnswer,
  summarizeRequest,
  targetOf,
} from '../providers/recorded-call.js';
import { requestView } from '../session/request-view.js';
import { recordedEvents, streamText } from '../stream/recorded-events.js';
import type { Interaction } from '../types.js';
import { storedJson } from './stored-json.js';
import { type StreamTimeline, streamTimeline } from './timeline.js';

/** What `cassettes inspect` shows of one interaction (also its `--json` output). */
export interface InteractionView {
  index: number;
  method: string;
  url: string;
  recordedAt: string;
  status?: number;
  statusText?: string;
  /** A request that failed before any response. */
  networkError?: string;
  request: RequestSummary;
  /** Time to headers of a whole (non-streamed) response. */
  headersMs?: number;
  /** Body size of a whole response, in bytes. */
  bodyBytes?: number;
  stream?: StreamTimeline & { events?: number };
  answer?: AnswerSummary;
  /** The provider's error message, for an error status. */
  errorMessage?: string;
}

export async function viewInteraction(interaction: Interaction, index: number): Promise<InteractionView> {
  const { request, response } = interaction;
  const target = targetOf(request.method, request.url);
  const view: InteractionView = {
    index,
    method: request.method,
    url: request.url,
    recordedAt: interaction.recordedAt,
    request: summarizeRequest(target, requestView(request).body),
  };
  if (interaction.error) {
    const { name, code, message } = interaction.error;
    view.networkError = [name, code && `(${code})`, message].filter(Boolean).join(' ');
    return view;
  }
  if (!response) return view;
  view.status = response.status;
  view.statusText = response.statusText;
  const events = recordedEvents(response);
  const timeline = streamTimeline(response);
  if (timeline) view.stream = events ? { ...timeline, events: events.length } : timeline;
  else {
    view.headersMs = response.headersAtMs;
    view.bodyBytes = storedBodyBytes(response.body ?? { text: '' }).length;
  }
  const body = storedJson(response.body);
  if (response.status >= 400) {
    // an error answered to a stream request often comes as one JSON body in chunks
    const whole = body ?? (response.chunks && !events ? tryParseJson(streamText(response.chunks))?.value : events?.find((e) => e.json)?.data);
    const message = errorMessageOf(whole);
    if (message !== undefined) view.errorMessage = message;
    return view;
  }
  if (target && !events && body === undefined && (response.body || response.chunks?.length)) {
    view.answer = { text: '', toolCalls: [], problem: 'the response body is not JSON' };
    return view;
  }
  const answer = events ? await readStreamAnswer(target, events) : readAnswer(target, body);
  if (answer) view.answer = answer;
  return view;
}
