/**
 * The scene plugin's settings: fields, defaults and the merge, apart from the plugin so they need
 * no Phaser to load (and to test).
 */

/**
 * The plugin's settings. Each comes, in this order of precedence, from the scene's config
 * (`physics: { ppo: { ... } }`, as Phaser's MatterPhysics reads `physics.matter`), the plugin's
 * `data` in the game config (`plugins.scene[{ key, plugin, mapping, data }]`), or the default. They
 * are read each time the scene starts; the plugin's fields of the same names can be changed while
 * it runs (e.g. `this.ppo.speed = 4` in `create`).
 */
export interface PPOPluginSettings {
  /** Fixed physics step in ms. Default 1000/60 (Matter warns above 16.67). */
  stepMs?: number;
  /** Fixed steps per `stepMs` of wall time: 1 is real time, 4 plays (and learns) 4× faster. Default 1. */
  speed?: number;
  /**
   * Fixed steps run per rendered frame at most. Default 4. It caps live training when frames are
   * slow: at 8 fps the game runs at most 32 steps a second whatever `speed` says (the time owed
   * beyond it is dropped, so a stalled tab does not replay seconds of physics in one frame).
   */
  maxStepsPerFrame?: number;
  /** Write the page's training log (`globalThis.__phaserPpo`) even without a test asking. Default false. */
  trainingLog?: boolean;
}

/** The defaults of {@link PPOPluginSettings}. */
export const DEFAULT_PPO_PLUGIN_SETTINGS: Readonly<Required<PPOPluginSettings>> = Object.freeze({
  stepMs: 1000 / 60,
  speed: 1,
  maxStepsPerFrame: 4,
  trainingLog: false,
});

/**
 * Merges settings (later sources win) and checks each field, naming the field, the value and what
 * is allowed. Unknown fields are rejected (a typo would otherwise be silently ignored).
 */
export function resolvePluginSettings(...sources: readonly unknown[]): Required<PPOPluginSettings> {
  const out: Required<PPOPluginSettings> = { ...DEFAULT_PPO_PLUGIN_SETTINGS };
  for (const source of sources) {
    if (source === undefined || source === null) continue;
    if (typeof source !== 'object' || Array.isArray(source)) throw new Error(`PPOPlugin settings: expected an object of ${Object.keys(out).join(', ')}, got ${JSON.stringify(source)}`);
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      const bad = (allowed: string) => new Error(`PPOPlugin settings: ${key} must be ${allowed}, got ${JSON.stringify(value)}`);
      switch (key) {
        case 'stepMs':
        case 'speed':
          if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw bad('a finite number above 0');
          out[key] = value;
          break;
        case 'maxStepsPerFrame':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw bad('a positive integer');
          out.maxStepsPerFrame = value;
          break;
        case 'trainingLog':
          if (typeof value !== 'boolean') throw bad('true or false');
          out.trainingLog = value;
          break;
        default:
          throw new Error(`PPOPlugin settings: unknown field "${key}"; known fields are ${Object.keys(DEFAULT_PPO_PLUGIN_SETTINGS).join(', ')}`);
      }
    }
  }
  return out;
}

/** The parts of a scene's Phaser `Systems` its settings are read from (structural: this module loads without Phaser). */
export interface SettingsSystems {
  readonly game: { readonly config: { readonly installScenePlugins?: unknown } };
  readonly settings: { readonly physics?: unknown };
}

/**
 * The settings of the scene plugin `pluginClass` as its scene starts: the `data` of its entry in
 * the game config, found by class (Phaser gives a plugin its mapping, not its key), overridden by
 * the scene's `physics.ppo`. PPOPlugin in the page and the headless copies' plugin read them here,
 * so a game's `stepMs` is the same fixed step live and headless.
 */
export function scenePluginSettings(sys: SettingsSystems, pluginClass: unknown): Required<PPOPluginSettings> {
  const installed = sys.game.config.installScenePlugins;
  const entry = Array.isArray(installed) ? (installed as { plugin?: unknown; data?: unknown }[]).find((p) => p?.plugin === pluginClass) : undefined;
  const scenePhysics = sys.settings.physics as { ppo?: unknown } | null | undefined;
  return resolvePluginSettings(entry?.data, scenePhysics?.ppo);
}
