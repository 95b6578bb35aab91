/**
 * The hyperparameter form: the fields a game developer tunes first, prefilled from the game's
 * config, validated by `resolveConfig` for both places the next run may train (the live scene's
 * agents and fast mode's copies). The page trains with {@link HyperparamForm.overrides} and keeps
 * Train disabled while the form is invalid.
 */
import { ConfigError } from '../sdk/core/errors.js';
import { resolveConfig, type PPOConfig } from '../sdk/rl/config.js';
import type { GalleryGame } from './gallery-game.js';

type Field = { key: keyof PPOConfig; label: string; step: string; list?: true };

/** The editable fields, in the order the form shows them. */
export const HYPERPARAMS: readonly Field[] = [
  { key: 'learningRate', label: 'learning rate', step: 'any' },
  { key: 'numSteps', label: 'rollout steps', step: '1' },
  { key: 'updateEpochs', label: 'epochs', step: '1' },
  { key: 'numMinibatches', label: 'minibatches', step: '1' },
  { key: 'clipCoef', label: 'clip ε', step: 'any' },
  { key: 'entCoef', label: 'entropy coef', step: 'any' },
  { key: 'gamma', label: 'γ', step: 'any' },
  { key: 'gaeLambda', label: 'λ (GAE)', step: 'any' },
  { key: 'hiddenSizes', label: 'hidden sizes', step: '', list: true },
];

export interface Validity {
  valid: boolean;
  /** The first problem found, naming the field (resolveConfig's message), or null. */
  error: string | null;
  /** The form's values as config overrides (the last valid ones while invalid). */
  overrides: Partial<PPOConfig>;
}

/** Where the next run may train: the live scene's agents and fast mode's copies. */
export type RunSizes = Pick<GalleryGame, 'headless' | 'liveAgents' | 'fast'>;

/**
 * Checks overrides of `game`'s config for both places the next run may train (one rollout column
 * per live agent, or per fast-mode copy). Returns the first problem, naming the field (resolveConfig's
 * message, then where), or null.
 */
export function checkHyperparams(game: RunSizes, overrides: Partial<PPOConfig>): { field: string; message: string } | null {
  for (const [numEnvs, where] of [[game.liveAgents, `train live (${game.liveAgents} agents)`], [game.fast.copies, `train fast (${game.fast.copies} copies)`]] as const) {
    try {
      resolveConfig({ ...game.headless.config, ...overrides, numEnvs });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return { field: e.field, message: `${e.message} — for ${where}` };
    }
  }
  return null;
}

export class HyperparamForm {
  private game: GalleryGame | null = null;
  private readonly inputs = new Map<keyof PPOConfig, HTMLInputElement>();
  /** The current validity; the page mirrors it into its state. */
  validity: Validity = { valid: true, error: null, overrides: {} };

  constructor(private readonly form: HTMLFormElement, private readonly errorEl: HTMLElement, private readonly onChange: (v: Validity) => void) {
    for (const f of HYPERPARAMS) {
      const label = document.createElement('label');
      const name = document.createElement('span');
      name.textContent = f.label;
      const input = document.createElement('input');
      input.name = f.key;
      input.dataset.testid = `hp-${f.key}`;
      input.type = f.list ? 'text' : 'number';
      if (!f.list) input.step = f.step;
      input.inputMode = f.list ? 'text' : 'decimal';
      input.spellcheck = false;
      label.append(name, input);
      form.append(label);
      this.inputs.set(f.key, input);
    }
    form.addEventListener('input', () => this.validate());
    form.addEventListener('submit', (e) => e.preventDefault());
  }

  /** Prefills the form with `game`'s tuned config (over the SDK defaults). */
  load(game: GalleryGame): void {
    this.game = game;
    const c = resolveConfig(game.headless.config);
    for (const f of HYPERPARAMS) {
      const v = c[f.key];
      this.inputs.get(f.key)!.value = Array.isArray(v) ? v.join(', ') : String(v);
    }
    this.validate();
  }

  /** Reads the form; a value that does not parse is passed as is, for resolveConfig to name. */
  private read(): Partial<PPOConfig> {
    const out: Record<string, unknown> = {};
    for (const f of HYPERPARAMS) {
      const raw = this.inputs.get(f.key)!.value.trim();
      if (f.list) out[f.key] = raw === '' ? [] : raw.split(/[\s,]+/).filter(Boolean).map(Number);
      else out[f.key] = raw === '' ? NaN : Number(raw);
    }
    return out as Partial<PPOConfig>;
  }

  validate(): Validity {
    const game = this.game;
    if (!game) return this.validity;
    const overrides = this.read();
    const problem = checkHyperparams(game, overrides);
    const error = problem?.message ?? null;
    const field = problem?.field ?? null;
    for (const [key, input] of this.inputs) input.setAttribute('aria-invalid', String(key === field));
    this.errorEl.textContent = error ?? '';
    this.errorEl.hidden = error === null;
    this.validity = { valid: error === null, error, overrides: error === null ? overrides : this.validity.overrides };
    this.onChange(this.validity);
    return this.validity;
  }
}
