// `@tracewright/transformer/vite`: the shared unplugin instance, as a vite plugin.
import { tracewrightUnplugin } from './unplugin.js';

export type { TracewrightPluginOptions } from './unplugin.js';
const tracewright = tracewrightUnplugin.vite;
export { tracewright };
export default tracewright;
