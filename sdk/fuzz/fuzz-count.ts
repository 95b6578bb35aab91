/** Runs a fast-check property with a fixed seed and prints how many cases ran (the figure the README quotes). */
import fc from 'fast-check';

/** Fixed, so a failure reproduces; fast-check prints the counterexample and its path. */
export const FUZZ_SEED = 20261124;

export function fuzz<Ts extends [unknown, ...unknown[]]>(name: string, numRuns: number, property: fc.IProperty<Ts>): number {
  let ran = 0;
  const counted = (property as fc.IPropertyWithHooks<Ts>).beforeEach((previous) => { ran++; previous(); });
  fc.assert(counted, { numRuns, seed: FUZZ_SEED });
  console.log(`fuzz ${name}: ${ran} cases`);
  return ran;
}
