/** Configuration entry point: importing it installs the default (tracking-URI) destination. */
import { registerLoadedCopy } from '../core/loaded-copies.js';
import { STATE_VERSION } from '../core/state.js';
import { installDefaultDestinationFactory } from './configuration.js';

installDefaultDestinationFactory();
registerLoadedCopy(STATE_VERSION);

export { setTrackingUri, getTrackingUri, setExperiment, init } from './configuration.js';
export type { InitOptions } from './configuration.js';
export { getTrace, searchTraces, deleteTraces } from './traces-api.js';
export { FanOutDestination } from './fan-out.js';
