/**
 * The README's pictures: `SCREENSHOTS=1 E2E_PORT=4182 npx playwright test e2e/screenshots.spec.ts`
 * writes docs/screenshots/<game>.png (the canvas, the shipped brain playing) and gallery.png (the
 * whole page at 1280×720 while fast mode trains lander). Skipped in the normal test run.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { canvasContent, waitFor, type GamePageState } from './helpers.js';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to write docs/screenshots/');
test.use({ viewport: { width: 1280, height: 720 } });

interface ShotState extends GamePageState { returns: number[]; watching: unknown }
/** Lets the page run `n` more ticks (game time), so the picture shows the NPCs at work. */
async function ticksMore(page: Page, n: number): Promise<void> {
  const s = await waitFor<ShotState>(page, 'gallery', 'the page state', () => true);
  await waitFor<ShotState, number>(page, 'gallery', `${n} more ticks`, (x, t) => x.ticks >= t, s.ticks + n);
}

for (const game of ['balance', 'lander', 'chase'] as const) {
  test(`${game}: the shipped brain playing`, async ({ page }) => {
    await page.goto(`/?game=${game}&autostart=watch`);
    await waitFor<ShotState>(page, 'gallery', 'the shipped brain plays', (s) => s.watching !== null);
    // Let the NPCs finish an episode or two, so the picture shows them at work with a tally.
    await waitFor<ShotState>(page, 'gallery', 'an episode ends', (s) => s.returns.length >= 1);
    await ticksMore(page, 90);
    expect((await canvasContent(page)).drawn).toBeGreaterThan(0.005);
    await page.locator('#game canvas').screenshot({ path: `docs/screenshots/${game}.png` });
  });
}

test('the gallery page while fast mode trains', async ({ page }) => {
  await page.goto('/?game=lander&autostart=fast&backend=kernels');
  await waitFor<ShotState>(page, 'gallery', '40 fast-mode updates', (s) => s.metrics.length >= 40);
  await ticksMore(page, 90);
  await page.screenshot({ path: 'docs/screenshots/gallery.png' });
});
