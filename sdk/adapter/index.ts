/**
 * The adapter's public API: what a game developer touches to put a learning agent in a game.
 * Engine-agnostic (no Phaser, no DOM): the scene plugin and headless simulations both drive it.
 */
export { ActionSpec, ActionBuffers } from './action-spec.js';
export type { ActionMask } from './action-spec.js';
export { Agent } from './agent.js';
export type { AgentOptions, DecisionContext, GameResult } from './agent.js';
export type { ObservationWriter } from './observation-writer.js';
export { VectorSensor, StackingSensor } from './sensor.js';
export type { Sensor } from './sensor.js';
export { BodyStateSensor } from './body-state-sensor.js';
export type { BodyStateField, BodyStateSensorOptions, BodyStateSource, Frame, Vec2 } from './body-state-sensor.js';
export { RayCastSensor } from './ray-cast-sensor.js';
export type { RayCastBody, RayCastSensorOptions, RaySegment } from './ray-cast-sensor.js';
export { arcadeBody, arcadeRayTargets } from './arcade-body.js';
export type { ArcadeBodies, ArcadeBodyLike, ArcadeBodySet } from './arcade-body.js';
export { GridSensor, MAX_GRID_VALUES } from './grid-sensor.js';
export type { GridBody, GridPose, GridSensorOptions, GridShape } from './grid-sensor.js';
export { BehaviorRunner } from './runner.js';
export type { AgentEpisode, BehaviorRunnerOptions, BehaviorSpec, BehaviorType, PolicyProvider, PolicyWeights, RecordingCounts, RecordingOptions } from './runner.js';
