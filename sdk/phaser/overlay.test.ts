/** The overlay's placement: `showOverlay(name, { x, y })` moves the whole panel; bad numbers are named. */
import { describe, expect, it } from 'vitest';
import type Phaser from 'phaser';
import type { Behavior } from './behavior.js';
import { Overlay } from './overlay.js';

/** A scene whose graphics and text record where they were put. */
function fakeScene() {
  const placed = { graphics: [0, 0], text: [0, 0] };
  const graphics = {
    setScrollFactor: () => graphics,
    setDepth: () => graphics,
    setPosition: (x: number, y: number) => { placed.graphics = [x, y]; return graphics; },
  };
  const text = { setScrollFactor: () => text, setDepth: () => text };
  const scene = {
    add: {
      graphics: () => graphics,
      text: (x: number, y: number) => { placed.text = [x, y]; return text; },
    },
  } as unknown as Phaser.Scene;
  return { scene, placed };
}

const behavior = {} as Behavior;

describe('Overlay placement', () => {
  it('defaults to the top-left corner, where it always was', () => {
    const { scene, placed } = fakeScene();
    new Overlay(scene, behavior);
    expect(placed).toEqual({ graphics: [0, 0], text: [10, 8] });
  });

  it('puts the panel and its text at { x, y }', () => {
    const { scene, placed } = fakeScene();
    new Overlay(scene, behavior, { x: 500, y: 20 });
    expect(placed).toEqual({ graphics: [496, 16], text: [506, 24] });
  });

  it('refuses a position that is not a finite number, naming the field', () => {
    const { scene } = fakeScene();
    expect(() => new Overlay(scene, behavior, { y: Number.NaN })).toThrow('showOverlay: options.y must be a finite number of pixels, got NaN');
  });
});
