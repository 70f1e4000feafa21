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
import { STORE_FORMAT_VERSION } from './format.js';
import { EXPERIMENTS_FILE, LOCKS_DIR } from './layout.js';
import { withFileLock, withFileLockAsync } from './lock.js';
import { wallNowMs } from '../core/clock.js';

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
    tags: typeof e.tags === 'object' && e.tags !== null ? { ...e.tags } : {},
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
    return this.read().experiments;
  }

  /** The experiments in the file plus its format version (0: written before versions existed). */
  private read(): { experiments: Experiment[]; version: number } {
    let raw: unknown = {};
    try {
      raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`local store ${this.root}: cannot read ${EXPERIMENTS_FILE}: ${(error as Error).message}`);
      }
    }
    const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as { experiments?: unknown; format_version?: unknown };
    const version = typeof obj.format_version === 'number' ? obj.format_version : 0;
    const entries = Array.isArray(obj.experiments) ? obj.experiments : [];
    // Entries without an id and a name (another version, a hand edit) are left out, not fatal.
    const experiments = entries
      .filter((e): e is ExperimentJson => typeof e === 'object' && e !== null && ['string', 'number'].includes(typeof e.experiment_id) && typeof e.name === 'string')
      .map(fromJson);
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
    return { experiments, version };
  }

  getByName(name: string): Experiment | undefined {
    return this.list().find((e) => e.name === name);
  }

  getById(id: string): Experiment | undefined {
    return this.list().find((e) => e.experimentId === id);
  }

  /**
   * The id of the experiment named `name`, creating it if missing. Synchronous: if another
   * process is creating an experiment at this very moment (lock held beyond a few ms), throws
   * LockBusyError rather than block; `getOrCreateAsync` waits instead.
   */
  getOrCreate(name: string): string {
    validateExperimentName(name, 'setExperiment(name)');
    return this.getByName(name)?.experimentId ?? withFileLock(this.lock, () => this.createLocked(name));
  }

  /** Same, waiting for a busy lock without blocking the event loop (bounded: LockBusyError after 5 s). */
  async getOrCreateAsync(name: string): Promise<string> {
    validateExperimentName(name, 'setExperiment(name)');
    return this.getByName(name)?.experimentId ?? withFileLockAsync(this.lock, () => this.createLocked(name));
  }

  private createLocked(name: string): string {
    const { experiments, version } = this.read(); // re-read under the lock: another process may have won
    if (version > STORE_FORMAT_VERSION) {
      // Rewriting it in this version's shape could drop what the newer one added.
      throw new Error(
        `local store ${this.root}: ${EXPERIMENTS_FILE} is in store format version ${version}, written by a newer tracewright ` +
          `(this one writes version ${STORE_FORMAT_VERSION}); upgrade @tracewright/runtime to create experiments in this store`,
      );
    }
    const found = experiments.find((e) => e.name === name);
    if (found) return found.experimentId;
    const nextId = String(Math.max(0, ...experiments.map((e) => Number(e.experimentId)).filter(Number.isFinite)) + 1);
    const now = wallNowMs();
    experiments.push({ experimentId: nextId, name, lifecycleStage: 'active', creationTime: now, lastUpdateTime: now, tags: {} });
    fs.mkdirSync(this.root, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format_version: STORE_FORMAT_VERSION, experiments: experiments.map(toJson) }, null, 1));
    fs.renameSync(tmp, this.file);
    return nextId;
  }
}
