import type { InteractionView } from './inspect-view.js';
import type { Paint } from './output.js';

const LABEL_WIDTH = 11;

/** The readable form of one interaction: a heading line, then labelled lines. */
export function renderInteraction(view: InteractionView, paint: Paint): string[] {
  const lines = [`${paint.bold(`#${view.index}`)}  ${view.method} ${view.url}  ${statusOf(view, paint)}`];
  const row = (label: string, text: string): void => {
    const [head, ...rest] = text.split('\n');
    lines.push(`    ${paint.dim(label.padEnd(LABEL_WIDTH))}${head}`);
    for (const line of rest) lines.push(`    ${' '.repeat(LABEL_WIDTH)}${line}`);
  };
  row('recorded', view.recordedAt);
  const request = requestLine(view);
  if (request) row('request', request);
  if (view.networkError) row('failed', paint.red(view.networkError));
  if (view.headersMs !== undefined) row('response', `headers ${ms(view.headersMs)} · ${view.bodyBytes ?? 0} bytes`);
  if (view.stream) row('stream', streamLine(view.stream, paint));
  if (view.errorMessage !== undefined) row('error', paint.red(view.errorMessage));
  const answer = view.answer;
  if (answer) {
    if (answer.text !== '') row('text', answer.text);
    for (const call of answer.toolCalls) row('tool call', `${paint.cyan(call.name)} ${call.arguments}`);
    if (answer.usage) {
      const { inputTokens, outputTokens, totalTokens, cachedInputTokens, reasoningTokens } = answer.usage;
      const extra = [cachedInputTokens && `${cachedInputTokens} cached`, reasoningTokens && `${reasoningTokens} reasoning`].filter(Boolean);
      row('usage', `${inputTokens} in · ${outputTokens} out · ${totalTokens} total${extra.length ? ` (${extra.join(', ')})` : ''}`);
    }
    if (answer.finishReason) row('finish', answer.finishReason);
    if (answer.problem) row('note', paint.yellow(answer.problem));
  }
  return lines;
}

function statusOf(view: InteractionView, paint: Paint): string {
  if (view.status === undefined) return paint.red('no response');
  const text = `${view.status}${view.statusText ? ` ${view.statusText}` : ''}`;
  return view.status >= 400 ? paint.red(text) : paint.green(text);
}

function requestLine(view: InteractionView): string {
  const r = view.request;
  const parts = [
    r.api,
    r.model,
    r.messages !== undefined && `${r.messages} message${r.messages === 1 ? '' : 's'}`,
    r.temperature !== undefined && `temperature ${r.temperature}`,
    r.maxTokens !== undefined && `max tokens ${r.maxTokens}`,
    r.tools && `tools: ${r.tools.join(', ')}`,
    r.stream && 'stream',
  ];
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');
}

function streamLine(stream: NonNullable<InteractionView['stream']>, paint: Paint): string {
  const parts = [`headers ${ms(stream.headersMs)}`];
  if (stream.firstChunkMs !== undefined) parts.push(`first chunk ${ms(stream.firstChunkMs)}`);
  parts.push(
    `${stream.chunks} chunk${stream.chunks === 1 ? '' : 's'}${stream.events !== undefined ? ` (${stream.events} event${stream.events === 1 ? '' : 's'})` : ''}`,
  );
  if (stream.gapsMs) parts.push(`gaps ${stream.gapsMs.min}/${stream.gapsMs.median}/${stream.gapsMs.max} ms (min/median/max)`);
  const end = stream.end;
  if (end) {
    const how = `${end.state} at ${ms(end.atMs)}${end.detail ? `: ${end.detail}` : ''}`;
    parts.push(end.state === 'completed' ? how : paint.yellow(how));
  } else parts.push(paint.yellow('no end recorded'));
  return parts.join(' · ');
}

function ms(value: number): string {
  return `${value} ms`;
}
