/** The overlay's placement: `showOverlay(name, { x, y, scale })` moves and scales the whole panel; bad numbers are named. */
import { describe, expect, it } from 'vitest';
import type Phaser from 'phaser';
import type { Behavior } from './behavior.js';
import { Overlay } from './overlay.js';

/** A scene whose graphics and text record where they were put. */
function fakeScene() {
  const placed = { graphics: [0, 0], text: [0, 0], scale: [1, 1] };
  const graphics = {
    setScrollFactor: () => graphics,
    setDepth: () => graphics,
    setPosition: (x: number, y: number) => { placed.graphics = [x, y]; return graphics; },
    setScale: (s: number) => { placed.scale[0] = s; return graphics; },
  };
  const text = { setScrollFactor: () => text, setDepth: () => text, setScale: (s: number) => { placed.scale[1] = s; return text; } };
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
    expect(placed).toEqual({ graphics: [0, 0], text: [10, 8], scale: [1, 1] });
  });

  it('puts the panel and its text at { x, y }', () => {
    const { scene, placed } = fakeScene();
    new Overlay(scene, behavior, { x: 500, y: 20 });
    expect(placed).toEqual({ graphics: [496, 16], text: [506, 24], scale: [1, 1] });
  });

  it('scale: 0.5 draws the panel and its text at half size, from the same corner (a 320 × 240 game keeps its screen)', () => {
    const { scene, placed } = fakeScene();
    new Overlay(scene, behavior, { x: 206, y: 4, scale: 0.5 });
    // The panel's own (4, 4) offset and the text's (10, 8) shrink with it: the corner stays at (206, 4).
    expect(placed).toEqual({ graphics: [204, 2], text: [209, 6], scale: [0.5, 0.5] });
    expect(() => new Overlay(scene, behavior, { scale: 0 })).toThrow('showOverlay: options.scale must be a finite number above 0 (1: 220 × 150 pixels), got 0');
  });

  it('refuses a position that is not a finite number, naming the field', () => {
    const { scene } = fakeScene();
    expect(() => new Overlay(scene, behavior, { y: Number.NaN })).toThrow('showOverlay: options.y must be a finite number of pixels, got NaN');
  });
});
