import { describe, it, expect } from 'vitest';
import { DEFAULT_PPO_PLUGIN_SETTINGS, resolvePluginSettings, scenePluginSettings } from './settings.js';

describe('resolvePluginSettings', () => {
  it('merges defaults, plugin data and scene config, later sources winning', () => {
    expect(resolvePluginSettings()).toEqual(DEFAULT_PPO_PLUGIN_SETTINGS);
    expect(DEFAULT_PPO_PLUGIN_SETTINGS.maxStepsPerFrame).toBe(4);
    const s = resolvePluginSettings({ speed: 4, maxStepsPerFrame: 8 }, { speed: 2 });
    expect(s).toEqual({ stepMs: 1000 / 60, speed: 2, maxStepsPerFrame: 8, trainingLog: false });
  });

  it('names the field and what is allowed', () => {
    expect(() => resolvePluginSettings({ speed: 0 })).toThrow('PPOPlugin settings: speed must be a finite number above 0, got 0');
    expect(() => resolvePluginSettings({ maxStepsPerFrame: 2.5 })).toThrow('maxStepsPerFrame must be a positive integer, got 2.5');
    expect(() => resolvePluginSettings({ stepMS: 10 })).toThrow('unknown field "stepMS"; known fields are stepMs, speed, maxStepsPerFrame, trainingLog');
    expect(() => resolvePluginSettings({ trainingLog: 'yes' })).toThrow('trainingLog must be true or false');
    expect(() => resolvePluginSettings(4)).toThrow('expected an object');
  });
});

describe('scenePluginSettings: what the page\'s plugin and the headless copies\' plugin read as a scene starts', () => {
  class Mine {}
  class Other {}
  const sys = (installScenePlugins: unknown, physics?: unknown) => ({ game: { config: { installScenePlugins } }, settings: { physics } });

  it("reads the data of the plugin's own entry (by class), under the scene's physics.ppo", () => {
    const installed = [{ key: 'Other', plugin: Other, data: { stepMs: 5 } }, { key: 'Mine', plugin: Mine, data: { stepMs: 20, speed: 4 } }];
    expect(scenePluginSettings(sys(installed), Mine)).toMatchObject({ stepMs: 20, speed: 4 });
    expect(scenePluginSettings(sys(installed, { ppo: { stepMs: 25 }, arcade: { fps: 40 } }), Mine)).toMatchObject({ stepMs: 25, speed: 4 });
    expect(scenePluginSettings(sys([], undefined), Mine)).toEqual(DEFAULT_PPO_PLUGIN_SETTINGS);
  });
});
