/** Child process: only imports the package (no tracing), then exits. */
import '../../index.js';
