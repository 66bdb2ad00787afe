// A multi-step tool loop through the real Vercel AI SDK, one cassette per provider. Prints what
// the app saw (steps, tool calls and results, text) as one JSON line.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { withCassette } from 'cassettes';
import { z } from 'zod';

const origin = process.env.E2E_ORIGIN;
const models = {
  google: createGoogleGenerativeAI({ baseURL: `${origin}/v1beta`, apiKey: 'google-key-0123456789' })('gemini-2.5-flash'),
  openai: createOpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-openai-0123456789' })('gpt-4o-mini'),
  anthropic: createAnthropic({ baseURL: `${origin}/v1`, apiKey: 'sk-ant-0123456789' })('claude-haiku-4-5'),
};
let executed = 0;
const tools = {
  weather: tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      executed++;
      return { city, celsius: 21 };
    },
  }),
};
const seen = (steps) =>
  steps.map((step) => ({
    toolCalls: step.toolCalls.map((call) => ({ name: call.toolName, input: call.input })),
    toolResults: step.toolResults.map((result) => ({ name: result.toolName, output: result.output })),
    text: step.text,
  }));

const out = {};
for (const [name, model] of Object.entries(models)) {
  out[name] = await withCassette(`tool-loop/${name}`, async () => {
    const result = await generateText({ model, tools, stopWhen: stepCountIs(4), prompt: 'What is the weather in Paris?' });
    return { text: result.text, steps: seen(result.steps) };
  });
  out[`${name}-stream`] = await withCassette(`tool-loop/${name}-stream`, async () => {
    const result = streamText({ model, tools, stopWhen: stepCountIs(4), prompt: 'What is the weather in Paris?' });
    return { text: await result.text, steps: seen(await result.steps) };
  });
}
out.executed = executed;
console.log(JSON.stringify(out));
