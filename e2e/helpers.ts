/**
 * What the game-page specs share: console watching, the page's state object, canvas checks, and
 * {@link waitFor}, the one way a spec waits for the page: on the page's own progress (game ticks,
 * decisions, transitions), never on the clock, so a loaded machine makes a test slower, not red.
 */
import type { Page } from '@playwright/test';

/** The state every game page publishes as `window.__<game>` (pages add their own fields). */
export interface GamePageState {
  mode: string;
  metrics: { returnMean: number; step: number; policyVersion: number; backend: string }[];
  backend: { backend: string; reason: string } | null;
  errors: string[];
  /** Game ticks (fixed physics steps) the scenes in view have run since the page loaded. */
  ticks: number;
  /** Decision steps (every agent of the behavior acts once) since the page loaded. */
  decisions: number;
}

/**
 * A budget of the page's own progress: game ticks of the scene in view (60 a second of game time),
 * its behavior's decision steps, or transitions trained (the run's `step`, as in its metrics).
 */
export type Budget = { ticks: number } | { decisions: number } | { transitions: number };

/**
 * Waits until `until(state, arg)` holds for the page state `window.__<game>`, and fails, naming
 * `what` and the budget, once the budget of ticks, decisions or transitions is spent without it.
 * Counted from the call. `until` runs in the page: it may use only its arguments (serialized).
 *
 * Without a budget it waits for something the page has no counter for (the page booting, a
 * worker starting, a brain fetched, IndexedDB answering): only the test's timeout bounds that
 * wait, as a safety net against a hang.
 */
export function waitFor<S extends GamePageState = GamePageState, A = undefined>(
  page: Page, game: string, what: string, until: (s: S, arg: A) => boolean, arg?: A, budget?: Budget,
): Promise<S> {
  return waitInPage(page, { global: `__${game}` }, what, until, arg, budget);
}

/** One behavior's entry in the page's training log (`globalThis.__phaserPpo`), with the log's errors. */
export interface LoggedBehavior {
  metrics: { returnMean: number; step: number; policyVersion: number; backend: string }[];
  backend: { backend: string; reason: string } | null;
  errors: string[];
}

/**
 * {@link waitFor} on a page that publishes only the training log (a game built on `phaser-ppo`,
 * such as the starter): `until` gets `behavior`'s entry once it exists; the budget is transitions.
 */
export function waitForLog<A = undefined>(
  page: Page, behavior: string, what: string, until: (b: LoggedBehavior, arg: A) => boolean, arg?: A, budget?: { transitions: number },
): Promise<LoggedBehavior> {
  return waitInPage(page, { behavior }, what, until, arg, budget);
}

type Source = { global: string } | { behavior: string };
type ProbeArgs = readonly [source: Source, until: string, arg: unknown, unit: string | null, from: number, limit: number];
interface Probe { holds: boolean; now: number; state: unknown }

/**
 * Runs in the page (so it uses nothing from this module): reads the page state or the behavior's
 * training log entry, checks `until` (source text), and counts the budget's unit. Returns a
 * {@link Probe} once `until` holds or the budget is spent, else false (waitForFunction polls on).
 */
function probe([source, until, arg, unit, from, limit]: ProbeArgs): Probe | false {
  interface Progress { metrics: { step: number }[]; ticks?: number; decisions?: number }
  const g = globalThis as unknown as Record<string, unknown>;
  let s: Progress | null;
  if ('global' in source) s = (g[source.global] ?? null) as Progress | null;
  else {
    const log = g.__phaserPpo as { behaviors: Record<string, Progress>; errors: string[] } | undefined;
    const b = log?.behaviors[source.behavior];
    s = b ? ({ ...b, errors: log!.errors } as Progress) : null;
  }
  if (!s) return false;
  // eslint-disable-next-line no-eval -- the predicate crosses into the page as source text, as Playwright's own page functions do.
  const holds = until !== '' && ((0, eval)(`(${until})`) as (s: unknown, a: unknown) => boolean)(s, arg);
  const now = unit === 'ticks' ? (s.ticks ?? 0) : unit === 'decisions' ? (s.decisions ?? 0) : unit === 'transitions' ? (s.metrics.at(-1)?.step ?? 0) : 0;
  return holds || now - from >= limit ? { holds, now, state: s } : false;
}

async function waitInPage<S, A>(page: Page, source: Source, what: string, until: (s: S, arg: A) => boolean, arg: A | undefined, budget: Budget | undefined): Promise<S> {
  const [unit, amount] = budget ? (Object.entries(budget)[0] as [string, number]) : [null, Infinity];
  // Where the budget starts (0 before the page publishes anything): a probe that always answers.
  const first = await page.evaluate(probe, [source, '', undefined, unit, 0, -Infinity] as const);
  const start = first ? first.now : 0;
  // Condition and budget are checked together in the page, so no update slips between them.
  // `timeout: 0` is no time limit: the budget of ticks, decisions or transitions ends the wait.
  const handle = await page.waitForFunction(probe, [source, until.toString(), arg, unit, start, amount] as const, { polling: 100, timeout: 0 });
  const r = (await handle.jsonValue()) as Probe;
  await handle.dispose();
  const spent = r.now - start;
  // How much of each budget a run needs, in the report: what a budget is sized from.
  if (r.holds && unit) console.log(`${what}: after ${spent.toLocaleString('en-US')} of ${amount.toLocaleString('en-US')} ${unit}`);
  if (!r.holds) {
    const p = r.state as Partial<GamePageState>;
    const last = p.metrics?.at(-1);
    throw new Error(`${what}: not within ${amount.toLocaleString('en-US')} ${unit} (${spent.toLocaleString('en-US')} spent; page: ` +
      `${p.mode ? `mode ${p.mode}, ` : ''}${p.ticks !== undefined ? `${p.ticks} ticks, ` : ''}${p.metrics?.length ?? 0} updates` +
      `${last ? `, last v${last.policyVersion} at ${last.step} transitions, return ${last.returnMean}` : ''}, errors ${JSON.stringify(p.errors ?? [])})`);
  }
  return r.state as S;
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

/** Keeps a handle on every worker the page starts (`__workers`), as an outside party could. */
export async function keepWorkerHandles(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = globalThis.Worker;
    const started: { name: string; worker: Worker }[] = [];
    (globalThis as unknown as { __workers: typeof started }).__workers = started;
    globalThis.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        started.push({ name: options?.name ?? '', worker: this });
      }
    };
  });
}
