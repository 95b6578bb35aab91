/**
 * A new user's top-down Arcade arena (test-fixtures/foreign-arena) in a built page: fast mode
 * trains the ship's autopilot in a worker on headless copies of the arena (pools, timers, tweens,
 * the HUD), the ship plays the weights, and a game over restarts the scene: the page's one
 * FastTraining goes on training, and the new run's ship plays its newest weights at once. In live
 * mode (`?live`), the ship learns in the plugin's learner worker, and the policy version keeps
 * growing across game overs (the restarted scene gets its behavior back). Every wait is on the
 * page's own progress (updates, runs, the policy version), or an error.
 */
import { test, expect } from './fixtures.js';
import { watchConsole } from './helpers.js';

interface LiveRun { sameBehavior: boolean; versionAtStart: number; versionAtEnd: number }
interface ArenaState { runs: number; steps: number[]; errors: string[]; policy(): number; gameOver(): void; live: LiveRun[] }

test('fast mode trains across a game over: the restarted scene plays the newest weights and the updates go on', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/e2e/pages/arena.html');
  const read = () => page.evaluate(() => {
    const s = (globalThis as unknown as { __arena: ArenaState }).__arena;
    return { runs: s.runs, steps: s.steps, errors: s.errors, policy: s.policy() };
  });
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as { __arena?: ArenaState }).__arena;
    return !!s && (s.errors.length > 0 || (s.steps.length >= 2 && s.policy() > 0));
  });
  expect((await read()).errors).toEqual([]);
  await page.evaluate(() => (globalThis as unknown as { __arena: ArenaState }).__arena.gameOver());
  // The restart runs on the next frame; the new run's ship gets the newest weights (replay) at once.
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as { __arena: ArenaState }).__arena;
    return s.errors.length > 0 || (s.runs >= 2 && s.policy() > 0);
  });
  // Training went on past the restart (the kit's fast.stop() on shutdown would have ended it).
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as { __arena: ArenaState }).__arena;
    return s.errors.length > 0 || s.steps.length >= 6;
  });
  const s = await read();
  expect(s.errors).toEqual([]);
  expect(s.runs).toBeGreaterThanOrEqual(2);
  // Two copies × one ship × 128 decisions per update.
  expect(s.steps).toEqual([256, 512, 768, 1024, 1280, 1536]);
  expect(errors).toEqual([]);
});

test('live mode learns across game overs: the restarted scene keeps its behavior, and the policy version keeps growing', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/e2e/pages/arena.html?live');
  const read = () => page.evaluate(() => {
    const s = (globalThis as unknown as { __arena: ArenaState }).__arena;
    return { runs: s.runs, errors: s.errors, policy: s.policy(), live: s.live };
  });
  /** Waits until the ship's policy version reaches `version` (or an error). */
  const versionAtLeast = (version: number) => page.waitForFunction((v) => {
    const s = (globalThis as unknown as { __arena?: ArenaState }).__arena;
    return !!s && (s.errors.length > 0 || s.policy() >= v);
  }, version);
  /** Ends the game (three bat hits) and waits for the scene's next run. */
  const gameOver = async () => {
    const runs = (await read()).runs;
    await page.evaluate(() => (globalThis as unknown as { __arena: ArenaState }).__arena.gameOver());
    await page.waitForFunction((n) => {
      const s = (globalThis as unknown as { __arena: ArenaState }).__arena;
      return s.errors.length > 0 || s.runs > n;
    }, runs);
  };
  await versionAtLeast(2);
  await gameOver();
  const afterFirst = await read();
  expect(afterFirst.errors).toEqual([]);
  await versionAtLeast(afterFirst.policy + 2);
  await gameOver();
  const s = await read();
  expect(s.errors).toEqual([]);
  // Bats may end a game too: every run (three at least) had the first run's behavior, and none went back.
  expect(s.runs).toBeGreaterThanOrEqual(3);
  expect(s.live.map((r) => r.sameBehavior)).toEqual(s.live.map(() => true));
  for (let i = 1; i < s.live.length; i++) expect(s.live[i]!.versionAtStart).toBeGreaterThanOrEqual(s.live[i - 1]!.versionAtEnd);
  expect(s.live[0]!.versionAtEnd).toBeGreaterThanOrEqual(2);
  expect(s.policy).toBeGreaterThanOrEqual(4);
  expect(errors).toEqual([]);
});
