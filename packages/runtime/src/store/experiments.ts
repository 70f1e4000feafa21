/**
 * Experiments of a local store, kept in `<root>/experiments.json` in MLflow's REST shape
 * (`{"experiments":[{"experiment_id","name","lifecycle_stage","creation_time",...}]}`).
 * Replaced atomically (temp file + rename) under a lock, so concurrent processes creating the
 * same name agree on one id and readers never see a half-written file. "Default" (id "0")
 * exists implicitly, as in MLflow.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME } from '../model/constants.js';
import { EXPERIMENTS_FILE, LOCKS_DIR } from './layout.js';
import { withFileLock } from './lock.js';

export interface Experiment {
  experimentId: string;
  name: string;
  lifecycleStage: 'active' | 'deleted';
  /** ms since the epoch */
  creationTime: number;
  lastUpdateTime: number;
  tags: Record<string, string>;
}

interface ExperimentJson {
  experiment_id: string;
  name: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  tags?: Record<string, string>;
}

function fromJson(e: ExperimentJson): Experiment {
  return {
    experimentId: String(e.experiment_id),
    name: String(e.name),
    lifecycleStage: e.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creationTime: Number(e.creation_time) || 0,
    lastUpdateTime: Number(e.last_update_time) || 0,
    tags: { ...(e.tags ?? {}) },
  };
}

function toJson(e: Experiment): ExperimentJson {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.creationTime,
    last_update_time: e.lastUpdateTime,
    tags: e.tags,
  };
}

export function validateExperimentName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`${where}: experiment name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  return name;
}

export class ExperimentRegistry {
  private readonly file: string;
  private readonly lock: string;

  constructor(private readonly root: string) {
    this.file = join(root, EXPERIMENTS_FILE);
    this.lock = join(root, LOCKS_DIR, 'experiments.lock');
  }

  list(): Experiment[] {
    let raw: { experiments?: ExperimentJson[] } = {};
    try {
      raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`local store ${this.root}: cannot read ${EXPERIMENTS_FILE}: ${(error as Error).message}`);
      }
    }
    const experiments = (raw.experiments ?? []).map(fromJson);
    if (!experiments.some((e) => e.experimentId === DEFAULT_EXPERIMENT_ID)) {
      experiments.unshift({
        experimentId: DEFAULT_EXPERIMENT_ID,
        name: DEFAULT_EXPERIMENT_NAME,
        lifecycleStage: 'active',
        creationTime: 0,
        lastUpdateTime: 0,
        tags: {},
      });
    }
    return experiments;
  }

  getByName(name: string): Experiment | undefined {
    return this.list().find((e) => e.name === name);
  }

  getById(id: string): Experiment | undefined {
    return this.list().find((e) => e.experimentId === id);
  }

  /** The id of the experiment named `name`, creating it if missing. Synchronous. */
  getOrCreate(name: string): string {
    validateExperimentName(name, 'setExperiment(name)');
    const existing = this.getByName(name);
    if (existing) return existing.experimentId;
    return withFileLock(this.lock, () => {
      const experiments = this.list(); // re-read under the lock: another process may have won
      const found = experiments.find((e) => e.name === name);
      if (found) return found.experimentId;
      const nextId = String(Math.max(0, ...experiments.map((e) => Number(e.experimentId)).filter(Number.isFinite)) + 1);
      const now = Date.now();
      experiments.push({ experimentId: nextId, name, lifecycleStage: 'active', creationTime: now, lastUpdateTime: now, tags: {} });
      fs.mkdirSync(this.root, { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ experiments: experiments.map(toJson) }, null, 1));
      fs.renameSync(tmp, this.file);
      return nextId;
    });
  }
}
