/**
 * A recording process: records distinct chat requests into one named cassette through the BUILT
 * package (`cassettes` resolves to dist/), round after round, and reports each save on stdout.
 *
 *   node test/store/support/writer.ts '<json input>'
 *
 * input: { dir, name, baseUrl, id, rounds, parallel, perCall, mode }. `rounds: 0` loops until
 * killed. Prints `ready`, then one `saved <JSON prompts>` line per withCassette call that returned.
 */
import { withCassette } from 'cassettes';

interface Input {
  dir: string;
  name: string;
  baseUrl: string;
  /** Makes this process's prompts distinct from every other's. */
  id: string;
  rounds: number;
  /** withCassette calls on the same cassette running at once in a round. */
  parallel: number;
  /** Requests per withCassette call. */
  perCall: number;
  mode: 'new' | 'once' | 'all';
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;

async function ask(content: string): Promise<void> {
  const response = await fetch(`${input.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content }] }),
  });
  const body = (await response.json()) as { echo?: string };
  if (body.echo !== content) throw new Error(`writer ${input.id}: wrong answer for ${content}: ${JSON.stringify(body)}`);
}

process.stdout.write('ready\n');
for (let round = 0; input.rounds === 0 || round < input.rounds; round++) {
  await Promise.all(
    Array.from({ length: input.parallel }, async (_, call) => {
      const prompts = Array.from({ length: input.perCall }, (_, i) => `${input.id} round ${round} call ${call} #${i}`);
      await withCassette(
        input.name,
        async () => {
          for (const prompt of prompts) await ask(prompt);
        },
        { dir: input.dir, mode: input.mode },
      );
      process.stdout.write(`saved ${JSON.stringify(prompts)}\n`);
    }),
  );
}
