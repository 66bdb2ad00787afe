/**
 * A readable view of server-sent events, kept in a cassette only where rendering it gives back
 * the exact bytes that arrived. Anything else (padded JSON is kept as `dataText`; a chunk that
 * splits an event, odd field order) stays raw text, which is always authoritative.
 */
export interface SseEventView {
  comments?: string[];
  event?: string;
  id?: string;
  retry?: number;
  /** `data:` parsed as JSON, where JSON.stringify gives back the same text. */
  data?: unknown;
  /** `data:` as text (not JSON, or JSON with provider-specific spacing). */
  dataText?: string;
}

export type Eol = 'lf' | 'crlf';

export function renderSse(events: SseEventView[], eol: Eol = 'lf'): string {
  const nl = eol === 'crlf' ? '\r\n' : '\n';
  let out = '';
  for (const e of events) {
    if (e.comments) for (const comment of e.comments) out += `:${comment}${nl}`;
    if (e.event !== undefined) out += `event: ${e.event}${nl}`;
    if (e.id !== undefined) out += `id: ${e.id}${nl}`;
    if (e.retry !== undefined) out += `retry: ${e.retry}${nl}`;
    const data = e.data !== undefined ? JSON.stringify(e.data) : e.dataText;
    if (data === undefined) {
      // no data field
    } else if (!data.includes('\n')) out += `data: ${data}${nl}`;
    else for (const line of data.split('\n')) out += `data: ${line}${nl}`;
    out += nl;
  }
  return out;
}

/** The event view of a chunk of complete events, or undefined when it would not be byte-exact. */
export function sseView(text: string): { events: SseEventView[]; eol: Eol } | undefined {
  const eol: Eol = text.includes('\r\n') ? 'crlf' : 'lf';
  const nl = eol === 'crlf' ? '\r\n' : '\n';
  const end = nl + nl;
  if (!text.endsWith(end)) return undefined;
  const events: SseEventView[] = [];
  for (const block of text.slice(0, -end.length).split(end)) {
    const event: SseEventView = {};
    const dataLines: string[] = [];
    for (const line of block.split(nl)) {
      if (line.startsWith(':')) (event.comments ??= []).push(line.slice(1));
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('id: ')) event.id = line.slice(4);
      else if (line.startsWith('retry: ') && /^\d+$/.test(line.slice(7))) event.retry = Number(line.slice(7));
      else if (line.startsWith('data: ')) dataLines.push(line.slice(6));
      else return undefined;
    }
    if (dataLines.length > 0) {
      const data = dataLines.join('\n');
      const parsed = parseExactJson(data);
      if (parsed) event.data = parsed.value;
      else event.dataText = data;
    }
    events.push(event);
  }
  return renderSse(events, eol) === text ? { events, eol } : undefined;
}

function parseExactJson(text: string): { value: unknown } | undefined {
  const first = text[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text ? { value } : undefined;
  } catch {
    return undefined;
  }
}
