import type Phaser from 'phaser';

/** Top-down: no gravity, Arcade at 60 steps a second. */
export const ARENA_PHYSICS: Phaser.Types.Core.PhysicsConfig = { default: 'arcade', arcade: { gravity: { x: 0, y: 0 }, fps: 60 } };
export const WORLD_W = 1600;
export const WORLD_H = 1200;
