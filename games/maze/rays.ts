/**
 * The rays NPC as a module of its own, for the CLI: `npm run train -- --env games/maze/rays.ts`
 * (`npm run train -- maze` trains the grid NPC, headless.ts's default).
 */
import { mazeRaysGame } from './headless.js';

export default mazeRaysGame;
