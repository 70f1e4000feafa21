/**
 * Child process: logs <count> feedback assessments named `<label>_<i>` on trace <traceId> of
 * store <root> through the public API, then overrides the last one.
 */
import { logFeedback, overrideFeedback } from '../../assessments/api.js';
import { setTrackingUri } from '../../config/index.js';

const [root, traceId, count, label] = process.argv.slice(2) as [string, string, string, string];
setTrackingUri(root);
let last;
for (let i = 0; i < Number(count); i++) last = await logFeedback({ traceId, name: `${label}_${i}`, value: i, source: { sourceType: 'CODE', sourceId: label } });
await overrideFeedback({ traceId, assessmentId: last!.assessment_id, value: 'overridden', source: { sourceType: 'HUMAN', sourceId: label } });
