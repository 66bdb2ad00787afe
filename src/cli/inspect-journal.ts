import type { CallRecord, NoteRecord } from '../types.js';
import type { Paint } from './output.js';

/** What `cassettes inspect` shows of a journal entry (a call or a note), also its `--json` output. */
export interface JournalView {
  index: number;
  kind: 'call' | 'note';
  recordedAt: string;
  test?: string;
  name: string;
  input?: unknown;
  output?: unknown;
  error?: string;
  durationMs?: number;
}

export function viewJournalEntry(entry: CallRecord | NoteRecord, index: number): JournalView {
  const test = entry.test ? { test: `${entry.test.file} › ${entry.test.name}` } : {};
  if ('note' in entry) {
    return {
      index,
      kind: 'note',
      recordedAt: entry.recordedAt,
      ...test,
      name: entry.note.label,
      ...(entry.note.data === undefined ? {} : { input: entry.note.data }),
    };
  }
  const { call } = entry;
  const view: JournalView = { index, kind: 'call', recordedAt: entry.recordedAt, ...test, name: call.name, input: call.input, durationMs: call.durationMs };
  if (call.error) view.error = `${call.error.name}: ${call.error.message}${call.error.code === undefined ? '' : ` (${call.error.code})`}`;
  else if (call.output !== undefined) view.output = call.output;
  return view;
}

const LABEL_WIDTH = 11;
const shown = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
};

export function renderJournalEntry(view: JournalView, paint: Paint): string[] {
  const lines = [`${paint.bold(`#${view.index}`)}  ${view.kind} ${paint.cyan(view.name)}${view.durationMs === undefined ? '' : `  ${view.durationMs} ms`}`];
  const row = (label: string, text: string): void => void lines.push(`    ${paint.dim(label.padEnd(LABEL_WIDTH))}${text}`);
  row('recorded', view.recordedAt);
  if (view.test) row('test', view.test);
  if (view.input !== undefined) row(view.kind === 'note' ? 'data' : 'input', shown(view.input));
  if (view.output !== undefined) row('output', shown(view.output));
  if (view.error) row('threw', paint.red(view.error));
  return lines;
}
