/**
 * The README's pictures: `SCREENSHOTS=1 E2E_PORT=4182 npx playwright test e2e/screenshots.spec.ts`
 * writes docs/screenshots/<game>.png (the canvas, the shipped brain playing) and gallery.png (the
 * whole page at 1280×720 while fast mode trains lander). Skipped in the normal test run.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, pageState, type GamePageState } from './helpers.js';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to write docs/screenshots/');
test.use({ viewport: { width: 1280, height: 720 } });

interface ShotState extends GamePageState { returns: number[]; watching: unknown }
const episodes = (page: Page) => pageState<ShotState>(page, 'gallery');

for (const game of ['balance', 'lander', 'chase'] as const) {
  test(`${game}: the shipped brain playing`, async ({ page }) => {
    await page.goto(`/?game=${game}&autostart=watch`);
    await expect.poll(async () => (await episodes(page)).watching).not.toBeNull();
    // Let the NPCs finish an episode or two, so the picture shows them at work with a tally.
    await expect.poll(async () => (await episodes(page)).returns.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    await page.waitForTimeout(1500);
    expect((await canvasContent(page)).drawn).toBeGreaterThan(0.005);
    await page.locator('#game canvas').screenshot({ path: `docs/screenshots/${game}.png` });
  });
}

test('the gallery page while fast mode trains', async ({ page }) => {
  await page.goto('/?game=lander&autostart=fast&backend=kernels');
  await expect.poll(async () => (await episodes(page)).metrics.length, { timeout: 120_000 }).toBeGreaterThanOrEqual(40);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'docs/screenshots/gallery.png' });
});
