// `@tracewright/transformer/webpack`: the shared unplugin instance, as a webpack plugin.
import { tracewrightUnplugin } from './unplugin.js';

export type { TracewrightPluginOptions } from './unplugin.js';
const tracewright = tracewrightUnplugin.webpack;
export { tracewright };
export default tracewright;
