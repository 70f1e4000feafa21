/** Peer comparison worker: the untraced functions. */
import { buildScenarios } from './scenarios.js';
import { runWorker } from './worker.js';

runWorker({ scenarios: buildScenarios((fn) => fn) });
