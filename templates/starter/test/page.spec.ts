/**
 * The NPC learns in the page: fast mode (`/?fast`) trains the game's headless copies in a worker
 * while the scene plays the newest weights. The test passes once the mean return of the last 20
 * episodes reaches the bar after at least 100 episodes and 10,000 transitions (the first episodes
 * to end are the quick arrivals, so an untrained ball can look good early), and fails when 60,000
 * transitions pass without it, or at once when the page reports an error.
 *
 * A random ball scores about −0.64 per round, a trained one about 1.6; the bar is 1.0.
 */
import { test } from '@playwright/test';
import { expectLearning, openTraining } from 'phaser-ppo/testing';

test('the ball learns to reach its flag in fast mode', async ({ page }, testInfo) => {
  await openTraining(page, '/?fast', { behavior: 'reach' });
  await expectLearning(page, { behavior: 'reach', atLeast: 1.0, maxSteps: 60_000, testInfo });
});
