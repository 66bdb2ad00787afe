// withCassette with a name, outside any test runner, from CommonJS; `--record=<mode>` comes from process.argv.
const { default: OpenAI } = require('openai');
const { withCassette } = require('cassettes');

const client = new OpenAI({ apiKey: 'sk-e2e', baseURL: process.env.E2E_BASE_URL, maxRetries: 0 });
withCassette('plain/script', () => client.chat.completions.create({ model: 'gpt-e2e', messages: [{ role: 'user', content: 'from a script' }] })).then(
  (completion) => console.log(`plain: ${completion.choices[0].message.content}`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
