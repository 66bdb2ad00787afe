import { isHttp } from '../journal/timeline.js';
import { flag, parseVerbArgs, stringsOption } from './args.js';
import { displayPath, readCassetteFile } from './cassette-files.js';
import { EXIT, UsageError } from './exit.js';
import { renderJournalEntry, viewJournalEntry } from './inspect-journal.js';
import { renderInteraction } from './inspect-render.js';
import { viewInteraction } from './inspect-view.js';
import { printer } from './output.js';
import type { Verb } from './verbs.js';

const HELP = `
usage: cassettes inspect <file> [--interaction <n>]... [--json]

Shows a cassette without reading its YAML: for each interaction its method, URL, status and
recorded time; what the request asked for (API, model, messages, temperature, max tokens, tools);
for a stream its timeline (time to headers and to the first chunk, chunks, gaps between chunks,
how it ended); the answer's text and tool calls, assembled from the stream; token usage.

  --interaction <n>  only interaction #n (repeatable)
  --json             the same as JSON (one object: file, recordedWith, interactions)
  -h, --help

Output is scrubbed of secrets. Colours on a terminal only (NO_COLOR turns them off).
Exit codes: 0 shown, 1 the file is not a valid cassette, 2 usage error.
`;

export const inspectVerb: Verb = {
  name: 'inspect',
  summary: 'show what a cassette holds: requests, streams and their timing, answers, usage',
  async run(args, io) {
    const parsed = parseVerbArgs(args, { json: { type: 'boolean' }, interaction: { type: 'string', multiple: true } }, HELP, io);
    if (!parsed) return EXIT.ok;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined) throw new UsageError('name the cassette file to inspect');
    if (extra.length > 0) throw new UsageError(`inspect takes one file (got ${parsed.positionals.length})`);
    const wanted = stringsOption(parsed, 'interaction').map((text) => {
      if (!/^\d+$/.test(text)) throw new UsageError(`--interaction ${JSON.stringify(text)} is not an interaction number (0, 1, 2...)`);
      return Number(text);
    });
    const cassette = await readCassetteFile(file);
    const count = cassette.data.interactions.length;
    const missing = wanted.find((index) => index >= count);
    if (missing !== undefined) throw new UsageError(`${file} has no interaction #${missing} (it has ${count}: #0 to #${count - 1})`);
    const views = [];
    for (const [index, entry] of cassette.data.interactions.entries()) {
      if (wanted.length > 0 && !wanted.includes(index)) continue;
      views.push(isHttp(entry) ? await viewInteraction(entry, index) : viewJournalEntry(entry, index));
    }
    const print = printer(io);
    if (flag(parsed, 'json')) {
      const doc = { file: displayPath(file), recordedWith: cassette.data.recordedWith, interactions: views };
      io.out.write(`${print.scrub(JSON.stringify(doc, null, 2))}\n`);
      return EXIT.ok;
    }
    print.out(print.paint.bold(`${displayPath(file)} · ${count} interaction${count === 1 ? '' : 's'} · recorded with ${cassette.data.recordedWith}`));
    for (const view of views) {
      print.out('');
      for (const line of 'kind' in view ? renderJournalEntry(view, print.paint) : renderInteraction(view, print.paint)) print.out(line);
    }
    return EXIT.ok;
  },
};
