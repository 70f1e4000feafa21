/** Configuration entry point: importing it installs the default (tracking-URI) destination. */
import { installDefaultDestinationFactory } from './configuration.js';

installDefaultDestinationFactory();

export { setTrackingUri, getTrackingUri, setExperiment, init } from './configuration.js';
export type { InitOptions } from './configuration.js';
export { getTrace, searchTraces, deleteTraces } from './traces-api.js';
export { FanOutDestination } from './fan-out.js';
