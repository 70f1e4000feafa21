// `@tracewright/transformer/esbuild`: the shared unplugin instance, as a esbuild plugin.
import { tracewrightUnplugin } from './unplugin.js';

export type { TracewrightPluginOptions } from './unplugin.js';
const tracewright = tracewrightUnplugin.esbuild;
export { tracewright };
export default tracewright;
