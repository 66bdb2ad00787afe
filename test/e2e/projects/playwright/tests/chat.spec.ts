// A chat page whose server streams the model's answer. SCENARIO=worker: an app server per worker,
// started with the worker session's base URLs; SCENARIO=shared: the one app server from the
// global setup, told the session by the cookie the fixture sets.
import { spawn } from 'node:child_process';
import { test as base, expect } from 'cassettes/playwright';

const perWorker = base.extend<object, { app: string }>({
  app: [
    async ({ workerSession }, use) => {
      const child = spawn(process.execPath, ['app.mjs'], {
        env: { ...process.env, OPENAI_BASE_URL: workerSession.baseUrls.openai },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const url = await new Promise<string>((resolve) => child.stdout!.setEncoding('utf8').once('data', (line: string) => resolve(JSON.parse(line).url)));
      await use(url);
      child.kill();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ app }, use) => use(app),
});

const shared = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  baseURL: async ({}, use) => use(process.env['APP_URL']),
});

const test = process.env['SCENARIO'] === 'worker' ? perWorker : shared;
test.describe.configure({ mode: 'parallel' });

async function ask(page: import('@playwright/test').Page, question: string): Promise<void> {
  await page.goto('/');
  await page.fill('#q', question);
  await page.click('button');
  const answer = page.locator('#answer');
  await expect(answer).toHaveAttribute('data-state', 'done');
  await expect(answer).toHaveText(`echo: ${question} w0 w1 w2`);
  // it streamed: the page got the answer in pieces, not at once
  expect(Number(await answer.getAttribute('data-reads'))).toBeGreaterThan(1);
}

for (const question of ['the first question', 'the second question', 'the third question', 'the fourth question']) {
  test(`answers ${question}`, async ({ page, cassette }) => {
    expect(cassette.name).toBe(`tests/chat.spec/answers ${question}`);
    await ask(page, question);
  });
}

if (process.env['E2E_EXTRA_MISS']) {
  test.describe('on a recorded cassette', () => {
    test.use({ cassetteOptions: { name: 'tests/chat.spec/answers the first question' } });
    test('asks what it never recorded', async ({ page }) => {
      await ask(page, 'the fifth question');
    });
  });
}
