// A user's script: the AI SDK's generateText (with a tool loop) and streamText on a scripted
// MockLLMProvider, through toLanguageModel. SPEC=v3 for `ai` 6. Prints what happened as JSON.
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { toLanguageModel } from 'cassettes/ai-sdk';
import { MockLLMProvider } from 'cassettes/provider';
import { z } from 'zod';

const specificationVersion = process.env.SPEC === 'v3' ? 'v3' : 'v4';
const executed = [];
const tools = {
  get_weather: tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      executed.push(city);
      return { city, sky: 'clear', temperatureC: 21 };
    },
  }),
};
const weatherModel = () =>
  toLanguageModel(MockLLMProvider.toolCalling('get_weather', { city: 'Paris' }, 'It is 21 °C and clear in Paris.'), { specificationVersion });

const generated = await generateText({ model: weatherModel(), prompt: 'Weather in Paris?', tools, stopWhen: stepCountIs(5) });

const streamed = streamText({
  model: toLanguageModel(MockLLMProvider.fixed('Streamed one chunk at a time.', { chunkSize: 4 }), { specificationVersion }),
  prompt: 'Hi',
});
const chunks = [];
for await (const chunk of streamed.textStream) chunks.push(chunk);

const looping = streamText({ model: weatherModel(), prompt: 'Weather in Paris?', tools, stopWhen: stepCountIs(5) });

console.log(
  JSON.stringify({
    specificationVersion,
    generate: {
      text: generated.text,
      steps: generated.steps.map((step) => ({
        finishReason: step.finishReason,
        toolCalls: step.toolCalls.map((call) => ({ name: call.toolName, input: call.input })),
        toolResults: step.toolResults.map((result) => result.output),
      })),
    },
    stream: { chunks, finishReason: await streamed.finishReason },
    streamLoop: { text: await looping.text, steps: (await looping.steps).length },
    executed,
  }),
);
