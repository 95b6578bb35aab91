/**
 * The lander page in Chromium: fast mode (headless copies in a worker) trains far past random
 * while the visible crafts fly the latest weights and come to rest on the pad; live mode delivers
 * updates; flying by keyboard works; the canvas shows the game. Random throttles score ≈ -160.
 */
import { test, expect, type Page } from '@playwright/test';

interface PageState {
  mode: string;
  metrics: { returnMean: number; step: number; policyVersion: number; backend: string }[];
  backend: { backend: string; reason: string } | null;
  errors: string[];
  tally: { landed: number; landedOffPad: number; crashed: number; timeout: number } | null;
}

const state = (page: Page) => page.evaluate(() => (globalThis as unknown as { __lander: PageState }).__lander);

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  return errors;
}

async function bestReturn(page: Page): Promise<number> {
  const s = await state(page);
  return Math.max(-Infinity, ...s.metrics.map((m) => m.returnMean).filter(Number.isFinite));
}

/**
 * Screenshots the game canvas and measures it in the page (no image library needed): the share of
 * pixels that differ from the background and the number of distinct colours.
 */
async function canvasContent(page: Page): Promise<{ drawn: number; colors: number }> {
  const png = await page.locator('#game canvas').screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    const colors = new Set<number>();
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      colors.add((r << 16) | (g << 8) | b);
      // The background is #0d1117.
      if (Math.abs(r - 0x0d) + Math.abs(g - 0x11) + Math.abs(b - 0x17) > 24) drawn++;
    }
    return { drawn: drawn / (data.length / 4), colors: colors.size };
  }, png.toString('base64'));
}

test('fast mode: the crafts learn to land far past random, and the visible ones set down on the pad', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/games/lander/index.html?autostart=fast&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(() => bestReturn(page), { timeout: 75_000, intervals: [2000] }).toBeGreaterThanOrEqual(100);
  await expect.poll(async () => (await state(page)).tally?.landed ?? 0, { timeout: 30_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  expect(shot.colors).toBeGreaterThan(8);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('live mode: the learner worker starts and updates arrive while the crafts fly', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/games/lander/index.html?autostart=live&backend=wasm');
  await expect.poll(async () => (await state(page)).backend?.backend, { timeout: 30_000 }).toBe('wasm');
  await expect.poll(async () => (await state(page)).metrics.length, { timeout: 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(3);
  expect((await state(page)).metrics.at(-1)!.policyVersion).toBeGreaterThan(0);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('keyboard: a human flies the craft with the arrow keys, and the canvas shows it', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/games/lander/index.html');
  await expect.poll(async () => (await state(page)).mode).toBe('heuristic');
  await page.locator('#game canvas').click();
  await page.keyboard.down('ArrowUp');
  await page.keyboard.down('ArrowRight');
  await page.waitForTimeout(600);
  await page.keyboard.up('ArrowRight');
  await page.waitForTimeout(600);
  await page.keyboard.up('ArrowUp');
  const shot = await canvasContent(page);
  expect(shot.drawn).toBeGreaterThan(0.03);
  // Let go and the craft falls: the episode ends one way or another.
  await expect.poll(async () => { const t = (await state(page)).tally!; return t.crashed + t.landed + t.landedOffPad; }, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  expect((await state(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
