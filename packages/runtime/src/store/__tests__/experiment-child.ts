/** Child process: prints the id of experiment <name> in store <root>, creating it if missing. */
import { LocalTraceStore } from '../local-store.js';

const [root, name] = process.argv.slice(2) as [string, string];
process.stdout.write(new LocalTraceStore(root).getOrCreateExperiment(name));
