/**
 * Tweens in a headless copy move with the copy's ticks. Phaser's TweenManager keeps its own clock
 * (`getDelta` reads `Date.now()`, smoothed for lag) rather than the frame's delta that timers and
 * physics get: in a copy stepped by hand at full speed, a 300 ms tween would take 300 ms of wall
 * time (thousands of ticks, and a different number each run), so a hit flash or a pickup bob never
 * kept pace with the game and the same seed did not play the same episode.
 */
import Phaser from 'phaser';

interface TweenClock {
  getDelta(tick?: boolean): number;
  /** The manager's own time in seconds (Phaser advances it in getDelta). */
  time: number;
}

/**
 * Makes `sys`'s tweens advance by each frame's delta (the tick's `stepMs` in a copy). Called once
 * per scene, when its plugin boots; the listener goes with `undo()` when the copy is destroyed.
 */
export function tweensOnFrameDelta(sys: Phaser.Scenes.Systems): { undo(): void } {
  const tweens = (sys as { tweens?: unknown }).tweens as TweenClock | undefined;
  if (!tweens) return { undo() {} };
  let frameDelta = 0;
  const onPreUpdate = (_time: number, delta: number): void => {
    frameDelta = delta;
  };
  sys.events.on(Phaser.Scenes.Events.PRE_UPDATE, onPreUpdate);
  tweens.getDelta = () => {
    tweens.time += frameDelta / 1000;
    return frameDelta;
  };
  return { undo: () => sys.events.off(Phaser.Scenes.Events.PRE_UPDATE, onPreUpdate) };
}
