/**
 * Errors the SDK throws on bad input. Each names what was wrong and where, so a game developer
 * can fix the call site without reading the SDK.
 */
export class PhaserPpoError extends Error {
  override name = 'PhaserPpoError';
}

/** A `PPOConfig` field has a value that is not allowed. */
export class ConfigError extends PhaserPpoError {
  override name = 'ConfigError';
  constructor(readonly field: string, message: string) {
    super(`PPOConfig.${field}: ${message}`);
  }
}

/** An environment returned something the learner cannot use (NaN, wrong length, bad action). */
export class EnvError extends PhaserPpoError {
  override name = 'EnvError';
}

/** A brain file is missing, corrupt, or does not match what it claims. */
export class BrainError extends PhaserPpoError {
  override name = 'BrainError';
}
