// `@tracewright/transformer/rollup`: the shared unplugin instance, as a rollup plugin.
import { tracewrightUnplugin } from './unplugin.js';

export type { TracewrightPluginOptions } from './unplugin.js';
const tracewright = tracewrightUnplugin.rollup;
export { tracewright };
export default tracewright;
