import { describe, it, expect } from 'vitest';
import { assertBrainInputs, decodeBrain, encodeBrain, layoutOf, policyFromBrain } from './brain.js';
import { BrainError } from '../core/errors.js';
import { cartpoleTestBrain, gridTestBrain } from './test-brain.js';

const json = (b = gridTestBrain()) => {
  const { manifest, weights } = encodeBrain(b);
  return { m: JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>, weights };
};

describe('brains with grid inputs and conv encoders (format 3)', () => {
  it('round-trip their inputs, conv layers and weights, name the conv tensors, and act identically', () => {
    const brain = gridTestBrain();
    const { m, weights } = json(brain);
    expect(m.formatVersion).toBe(3);
    expect(m.observationInputs).toEqual(brain.observationInputs);
    const names = (m.weightsManifest as { weights: { name: string; shape: number[] }[] }[])[0]!.weights;
    expect(names.slice(0, 4)).toEqual([
      { name: 'actor/grid_0/conv_0/kernel', shape: [3, 3, 2, 3], dtype: 'float32' },
      { name: 'actor/grid_0/conv_0/bias', shape: [3], dtype: 'float32' },
      { name: 'actor/grid_0/conv_1/kernel', shape: [2, 2, 3, 2], dtype: 'float32' },
      { name: 'actor/grid_0/conv_1/bias', shape: [2], dtype: 'float32' },
    ]);
    expect(names.some((w) => w.name === 'critic/grid_0/conv_1/kernel')).toBe(true);
    const back = decodeBrain(m, weights);
    expect(back.observationInputs).toEqual(brain.observationInputs);
    expect(back.config.convLayers).toEqual(brain.config.convLayers);
    expect(back.params).toEqual(brain.params);
    expect(layoutOf(back).hasConv).toBe(true);
    const obs = Float32Array.from({ length: 2 * 63 }, (_, i) => Math.sin(i));
    const values = [brain, back].map((b) => {
      const out = new Float32Array(2);
      policyFromBrain(b, 2).policy.values(obs, 2, out);
      return out;
    });
    expect(values[1]).toEqual(values[0]);
  });

  it('keep loading format 2 brains: one vector, no conv layers (grids were flattened then)', () => {
    const { m, weights } = json(cartpoleTestBrain());
    m.formatVersion = 2;
    delete m.observationInputs;
    delete (m.config as Record<string, unknown>).convLayers;
    const brain = decodeBrain(m, weights);
    expect(brain.observationInputs).toBeUndefined();
    expect(brain.config.convLayers).toEqual([]);
    expect(brain.params).toEqual(cartpoleTestBrain().params);
    // A format 2 manifest cannot carry the new fields.
    const withInputs = { ...m, observationInputs: [{ name: 'x', kind: 'vector', size: 4 }] };
    expect(() => decodeBrain(withInputs, weights)).toThrow('brain.json: "observationInputs" needs formatVersion 3, the manifest says 2');
  });

  it('refuse bad inputs and conv layers with a message naming the field', () => {
    const cases: [string, (m: Record<string, unknown>) => void, string][] = [
      ['a zero grid side', (m) => { (m.observationInputs as { shape?: number[] }[])[1]!.shape = [0, 6, 2]; }, 'observationInputs[1].shape (input \'map\'): expected [rows, cols, channels], three positive integers'],
      ['sizes that do not add up', (m) => { (m.observationInputs as { size?: number }[])[2]!.size = 2; }, 'observationInputs: the inputs add up to 64 values, the observation has 63'],
      ['an unknown kind', (m) => { (m.observationInputs as { kind?: string }[])[0]!.kind = 'image'; }, 'observationInputs[0].kind (input \'observations\'): expected \'vector\' or \'grid\', got "image"'],
      ['a repeated name', (m) => { (m.observationInputs as { name?: string }[])[2]!.name = 'map'; }, 'observationInputs[2].name: \'map\' is used twice'],
      ['a kernel larger than the grid', (m) => { (m.config as { convLayers: { kernel: number }[] }).convLayers[0]!.kernel = 7; }, 'config.convLayers: convLayers[0].kernel 7 is larger than the 5×6 grid of grid \'map\' [5, 6, 2]'],
      ['a zero filter count', (m) => { (m.config as { convLayers: { filters: number }[] }).convLayers[1]!.filters = 0; }, 'config.convLayers[1].filters: expected an integer in [1, 1024], got 0'],
    ];
    for (const [name, edit, message] of cases) {
      const { m, weights } = json();
      edit(m);
      expect(() => decodeBrain(m, weights), name).toThrow(BrainError);
      expect(() => decodeBrain(m, weights), name).toThrow(message);
    }
  });

  it('a brain whose inputs differ from the behavior\'s is refused naming the input', () => {
    const brain = gridTestBrain();
    const inputs = brain.observationInputs!.map((i) => (i.kind === 'grid' ? { ...i, shape: [6, 5, 2] as [number, number, number] } : i));
    expect(() => assertBrainInputs(brain, inputs, 'behavior "runner"')).toThrow(
      'the brain (maze) does not fit behavior "runner": input 1 is grid \'map\' [5, 6, 2] in the brain but grid \'map\' [6, 5, 2] in the behavior');
    expect(() => assertBrainInputs(brain, brain.observationInputs!.slice(0, 2), 'behavior "runner"')).toThrow("the brain has input vector 'goal' (1) (input 2) that the behavior lacks");
    expect(() => assertBrainInputs(brain, brain.observationInputs!, 'behavior "runner"')).not.toThrow();
  });
});
