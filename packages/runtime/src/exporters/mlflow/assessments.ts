/**
 * MLflow's assessment endpoints (service.proto CreateAssessment / GetAssessmentRequest /
 * UpdateAssessment / DeleteAssessment under /api/3.0/mlflow/traces/{trace_id}/assessments).
 * The server assigns ids and times and, for an override, marks the old assessment invalid.
 */
import { assessmentNotFound, UPDATE_MASK_FIELDS, type AssessmentBackend, type AssessmentChanges, type AssessmentDraft } from '../../assessments/backend.js';
import type { Assessment } from '../../assessments/entity.js';
import { isNotFound, type MlflowRestClient } from './rest-client.js';

const base = (traceId: string) => `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/assessments`;

export function assessmentsOnServer(client: MlflowRestClient): AssessmentBackend {
  const one = async (traceId: string, assessmentId: string, run: () => Promise<{ assessment?: Assessment }>): Promise<Assessment> => {
    try {
      const reply = await run();
      if (!reply.assessment) throw new Error(`the MLflow server answered without an assessment for ${assessmentId}`);
      return reply.assessment;
    } catch (error) {
      if (isNotFound(error)) throw assessmentNotFound(traceId, assessmentId);
      throw error;
    }
  };
  return {
    async createAssessment(draft: AssessmentDraft): Promise<Assessment> {
      const reply = await client.json<{ assessment?: Assessment }>('POST', base(draft.trace_id), { body: { assessment: draft } });
      if (!reply.assessment) throw new Error('the MLflow server answered CreateAssessment without an assessment');
      return reply.assessment;
    },
    async getAssessment(traceId, assessmentId) {
      return one(traceId, assessmentId, () => client.json('GET', `${base(traceId)}/${encodeURIComponent(assessmentId)}`));
    },
    async updateAssessment(traceId, assessmentId, changes: AssessmentChanges) {
      const mask = UPDATE_MASK_FIELDS.filter((f) => changes[f] !== undefined);
      const assessment = { ...changes, trace_id: traceId, assessment_id: assessmentId };
      // A FieldMask's JSON form is one comma-separated string.
      return one(traceId, assessmentId, () =>
        client.json('PATCH', `${base(traceId)}/${encodeURIComponent(assessmentId)}`, { body: { assessment, update_mask: mask.join(',') } }),
      );
    },
    async deleteAssessment(traceId, assessmentId) {
      await one(traceId, assessmentId, async () => {
        await client.json('DELETE', `${base(traceId)}/${encodeURIComponent(assessmentId)}`);
        return { assessment: {} as Assessment };
      });
    },
  };
}
