/** What the game-page specs share: console watching, the page's state object, canvas checks. */
import type { Page } from '@playwright/test';

/** The state every game page publishes as `window.__<game>` (pages add their own fields). */
export interface GamePageState {
  mode: string;
  metrics: { returnMean: number; step: number; policyVersion: number; backend: string }[];
  backend: { backend: string; reason: string } | null;
  errors: string[];
}

/** Reads `window.__<game>`. */
export function pageState<S extends GamePageState = GamePageState>(page: Page, game: string): Promise<S> {
  return page.evaluate((key) => (globalThis as unknown as Record<string, S>)[key]!, `__${game}`);
}

/** Collects console errors of the page and its workers (a test then asserts the list is empty). */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  return errors;
}

/** The best `returnMean` the page has reported so far (−Infinity before any). */
export async function bestReturn(page: Page, game: string): Promise<number> {
  const s = await pageState(page, game);
  return Math.max(-Infinity, ...s.metrics.map((m) => m.returnMean).filter(Number.isFinite));
}

/**
 * Screenshots the game canvas and measures it in the page (no image library needed): the share of
 * pixels that differ from the page background (#0d1117) and the number of distinct colours.
 */
export async function canvasContent(page: Page): Promise<{ drawn: number; colors: number }> {
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
      if (Math.abs(r - 0x0d) + Math.abs(g - 0x11) + Math.abs(b - 0x17) > 24) drawn++;
    }
    return { drawn: drawn / (data.length / 4), colors: colors.size };
  }, png.toString('base64'));
}
