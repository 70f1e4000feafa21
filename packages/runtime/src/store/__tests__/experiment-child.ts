/**
 * Child process: prints the id of experiment <name> in store <root>, creating it if missing,
 * through the public setExperiment (synchronous when the lock is free, waiting asynchronously
 * when another process holds it).
 */
import { setExperiment, setTrackingUri } from '../../config/index.js';

const [root, name] = process.argv.slice(2) as [string, string];
setTrackingUri(root);
process.stdout.write(await setExperiment(name));
