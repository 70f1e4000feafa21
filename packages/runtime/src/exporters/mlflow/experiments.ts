/**
 * Experiment name → id the way `mlflow.set_experiment` does it (spec §5.4): get-by-name,
 * create on RESOURCE_DOES_NOT_EXIST, and re-read by name if a concurrent creator won the race.
 */
import { DeliveryFailure } from '../delivery/failure.js';
import { isNotFound, type MlflowRestClient } from './rest-client.js';

export async function getOrCreateExperiment(client: MlflowRestClient, name: string): Promise<string> {
  const existing = await getExperimentIdByName(client, name);
  if (existing !== undefined) return existing;
  try {
    return await createExperimentOnServer(client, name);
  } catch (error) {
    if (!(error instanceof DeliveryFailure) || !/RESOURCE_ALREADY_EXISTS/.test(error.message)) throw error;
    const raced = await getExperimentIdByName(client, name);
    if (raced === undefined) throw error;
    return raced;
  }
}

async function getExperimentIdByName(client: MlflowRestClient, name: string): Promise<string | undefined> {
  try {
    const reply = await client.json<{ experiment?: { experiment_id?: string; lifecycle_stage?: string } }>(
      'GET',
      '/api/2.0/mlflow/experiments/get-by-name',
      { query: { experiment_name: name } },
    );
    const experiment = reply.experiment;
    if (experiment?.experiment_id === undefined) return undefined;
    if (experiment.lifecycle_stage === 'deleted') {
      throw new DeliveryFailure(`experiment ${JSON.stringify(name)} is deleted on the server; restore it or pick another name`, 'rejected');
    }
    return String(experiment.experiment_id);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** CreateExperiment; resolves to the new experiment's id. */
export async function createExperimentOnServer(client: MlflowRestClient, name: string, artifactLocation?: string, tags?: Record<string, string>): Promise<string> {
  const body: Record<string, unknown> = { name };
  if (artifactLocation !== undefined) body.artifact_location = artifactLocation;
  if (tags !== undefined) body.tags = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
  const created = await client.json<{ experiment_id?: string }>('POST', '/api/2.0/mlflow/experiments/create', { body });
  if (created.experiment_id === undefined) throw new DeliveryFailure(`experiments/create returned no experiment_id for ${JSON.stringify(name)}`, 'rejected');
  return String(created.experiment_id);
}

/** DeleteExperiment (the server marks it deleted; its traces stay until garbage-collected). */
export async function deleteExperimentOnServer(client: MlflowRestClient, experimentId: string): Promise<void> {
  await client.json('POST', '/api/2.0/mlflow/experiments/delete', { body: { experiment_id: experimentId } });
}
