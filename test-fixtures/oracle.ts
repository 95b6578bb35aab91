/** Loads ../shared/fixtures/ppo-oracle.json (PyTorch float64 autograd cases) for the oracle tests. */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GaeCase {
  gamma: number; lambda: number; rewards: number[]; values: number[]; terminated: boolean[]; truncated: boolean[];
  finalValues: number[]; lastValue: number; advantages: number[]; returns: number[];
}
export interface RetraceCase {
  gamma: number; lambda: number; rewards: number[]; values: number[]; lastValue: number; dones: boolean[];
  behaviourLogProb: number[]; targetLogProb: number[]; advantages: number[]; returns: number[];
}
export interface PpoDiscreteCase {
  clipCoef: number; valueClipCoef: number; entCoef: number; vfCoef: number; logits: number[]; shape: [number, number];
  actions: number[]; oldLogProb: number[]; advantages: number[]; normalizedAdvantages: number[]; values: number[];
  oldValues: number[]; returns: number[];
  expected: {
    logProb: number[]; ratio: number[]; entropy: number[]; policyLoss: number; valueLoss: number; entropyMean: number;
    loss: number; approxKl: number; clipFraction: number; gradLogits: number[]; gradValues: number[];
  };
}
export interface GaussianCase {
  mean: number[]; shape: [number, number]; logStd: number[]; actions: number[];
  expected: { logProb: number[]; entropy: number[]; gradMeanOfSumLogProbPlusEntropy: number[]; gradLogStdOfSumLogProbPlusEntropy: number[] };
}
export interface Oracle { gae: GaeCase[]; retraceGae: RetraceCase[]; ppoDiscrete: PpoDiscreteCase[]; gaussian: GaussianCase[] }

// The source of truth is ../shared; a copy is committed for clones without it.
const candidates = [
  new URL('../../shared/fixtures/ppo-oracle.json', import.meta.url),
  new URL('./ppo-oracle.json', import.meta.url),
];

export function loadOracle(): Oracle {
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Oracle;
  }
  throw new Error('ppo-oracle.json not found in ../shared/fixtures or test-fixtures/');
}
