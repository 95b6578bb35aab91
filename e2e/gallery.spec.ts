/**
 * The shipped brains in the page: each game's "Watch trained" loads games/<name>/brain.json (as
 * the production build serves it) and its NPCs, in view, score above what a random policy scores
 * (the random levels are the games' READMEs').
 */
import { test, expect, type Page } from '@playwright/test';
import { pageState, watchConsole, type GamePageState } from './helpers.js';

interface WatchState extends GamePageState {
  returns: number[];
  watching: { policyVersion: number; steps: number } | null;
}

const games = [
  // 8 carts: one 500-tick episode each (~9 s) when they balance.
  { name: 'balance', random: 27, episodes: 8 },
  // 6 crafts, episodes ~5 s.
  { name: 'lander', random: -162, episodes: 6 },
  // 4 chasers end a round together: 3 rounds, at most 15 s each.
  { name: 'chase', random: -9.4, episodes: 12 },
] as const;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

for (const g of games) {
  test(`${g.name}: "Watch trained" plays the shipped brain above the random level (${g.random})`, async ({ page }: { page: Page }) => {
    const errors = watchConsole(page);
    const state = () => pageState<WatchState>(page, g.name);
    await page.goto(`/games/${g.name}/index.html`);
    await expect(page.locator('#game canvas')).toBeVisible();
    await page.getByTestId('watch').click();
    await expect.poll(async () => (await state()).watching?.steps ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await state()).returns.length, { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(g.episodes);
    const s = await state();
    const m = mean(s.returns);
    console.log(`${g.name}: shipped brain v${s.watching?.policyVersion}, mean return ${m.toFixed(2)} over ${s.returns.length} episodes in the page (random ${g.random})`);
    expect(s.mode).toBe('watch');
    expect(m).toBeGreaterThan(g.random);
    expect(s.errors).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('the landing page links the three games, readable at 1280×720, with no console errors', async ({ page }) => {
  const errors = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  for (const g of games) {
    const card = page.getByTestId(`game-${g.name}`);
    await expect(card).toBeInViewport({ ratio: 1 });
    await expect(card).toHaveAttribute('href', `./games/${g.name}/index.html`);
  }
  await page.getByTestId('game-lander').click();
  await expect(page).toHaveURL(/\/games\/lander\/index\.html$/);
  await expect(page.locator('#game canvas')).toBeVisible();
  expect(errors).toEqual([]);
});
