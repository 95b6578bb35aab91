import type Phaser from 'phaser';

/** The game config's physics: Arcade with gravity, at the plugin's 60 fixed steps a second. */
export const PLATFORMER_PHYSICS: Phaser.Types.Core.PhysicsConfig = { default: 'arcade', arcade: { gravity: { x: 0, y: 600 }, fps: 60 } };
