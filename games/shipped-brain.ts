/** The trained brain each game ships beside its page (games/<name>/brain.json, made by the CLI). */
import type { Brain } from '../sdk/io/brain.js';
import { loadBrainFromUrls, type FetchLike } from '../sdk/io/brain.browser.js';

/**
 * Fetches a shipped brain, ready for `behavior: { type: 'inference', brain }`. The two URLs come
 * from vite `?url` imports: a build renames both files, so the manifest's own relative weights
 * path would point nowhere.
 */
export async function loadShippedBrain(manifestUrl: string, weightsUrl: string, fetchImpl: FetchLike = fetch): Promise<Brain> {
  return loadBrainFromUrls(manifestUrl, weightsUrl, fetchImpl);
}
