/**
 * `@tracewright/runtime/cost`: MLflow's `calculateCostByModelAndTokenUsage`
 * (libs/typescript/core/src/core/utils/model_pricing.ts) with the prices supplied by the caller.
 * MLflow bundles a pricing snapshot; tracewright ships no prices (they go stale, and the core
 * must stay small) and never fetches any: pass your own table, e.g. from your provider's bill.
 */

/** Token counts as MLflow records them in `mlflow.chat.tokenUsage`. */
export interface ModelTokenUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  /** Input tokens served from the provider's prompt cache (part of input_tokens). */
  cache_read_input_tokens?: number;
  /** Input tokens written to the provider's prompt cache (part of input_tokens). */
  cache_creation_input_tokens?: number;
}

export interface ModelCost {
  input_cost: number;
  output_cost: number;
  total_cost: number;
}

/** Prices of one model, per million tokens, in whatever currency the table is in. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Cached input read; the input price when absent. */
  cacheReadPerMillion?: number;
  /** Cached input written; the input price when absent. */
  cacheWritePerMillion?: number;
}

/**
 * Model name → prices. Keys are model names as recorded (`gpt-4o-mini`) or
 * `provider/model` (`openai/gpt-4o-mini`) when the same name is priced differently per provider.
 */
export type PriceTable = Readonly<Record<string, ModelPricing>>;

export type CostCalculator = (
  modelName: string | null | undefined,
  usage: ModelTokenUsage | null | undefined,
  modelProvider?: string | null,
) => ModelCost | undefined;

const PRICE_FIELDS = ['inputPerMillion', 'outputPerMillion', 'cacheReadPerMillion', 'cacheWritePerMillion'] as const;
const REQUIRED_FIELDS: ReadonlySet<string> = new Set(['inputPerMillion', 'outputPerMillion']);

function checkedTable(prices: unknown): PriceTable {
  if (prices === null || typeof prices !== 'object' || Array.isArray(prices)) {
    throw new TypeError(`price table must be an object of model name → { inputPerMillion, outputPerMillion, ... }, got ${prices === null ? 'null' : Array.isArray(prices) ? 'an array' : typeof prices}`);
  }
  const table = prices as Record<string, unknown>;
  const models = Object.keys(table);
  if (models.length === 0) throw new TypeError('price table is empty: add at least one model');
  for (const model of models) {
    const entry = table[model];
    if (entry === null || typeof entry !== 'object') {
      throw new TypeError(`price table entry "${model}" must be an object with inputPerMillion and outputPerMillion`);
    }
    for (const field of PRICE_FIELDS) {
      const value = (entry as Record<string, unknown>)[field];
      if (value === undefined && !REQUIRED_FIELDS.has(field)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new TypeError(`price table entry "${model}": ${field} must be a finite number >= 0, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      }
    }
  }
  return table as PriceTable;
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Exact name, then `provider/model`, then the name without its `provider/` prefix. */
function lookup(table: PriceTable, modelName: string, modelProvider: string | null | undefined): ModelPricing | undefined {
  const has = (key: string) => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined);
  const slash = modelName.indexOf('/');
  const bare = slash >= 0 ? modelName.slice(slash + 1) : modelName;
  const provider = modelProvider?.trim().toLowerCase();
  return has(modelName) ?? (provider ? has(`${provider}/${bare}`) : undefined) ?? has(bare);
}

function costOf(pricing: ModelPricing, usage: ModelTokenUsage): ModelCost {
  const input = tokens(usage.input_tokens);
  const output = tokens(usage.output_tokens);
  const cacheRead = tokens(usage.cache_read_input_tokens);
  const cacheWrite = tokens(usage.cache_creation_input_tokens);
  // Cached tokens are part of input_tokens (MLflow's convention): priced once, at their own rate.
  const regular = Math.max(input - cacheRead - cacheWrite, 0);
  const inputRate = pricing.inputPerMillion;
  const inputCost = (regular * inputRate + cacheRead * (pricing.cacheReadPerMillion ?? inputRate) + cacheWrite * (pricing.cacheWritePerMillion ?? inputRate)) / 1_000_000;
  const outputCost = (output * pricing.outputPerMillion) / 1_000_000;
  return { input_cost: inputCost, output_cost: outputCost, total_cost: inputCost + outputCost };
}

/**
 * A cost function bound to a price table (checked once, here). It returns undefined, as MLflow's
 * does, when there is no model name, no usage or no tokens, and throws naming the model when
 * the table has no price for it (a silent undefined would read as "free").
 */
export function createCostCalculator(prices: PriceTable): CostCalculator {
  const table = checkedTable(prices);
  return (modelName, usage, modelProvider) => {
    if (!modelName || !usage) return undefined;
    if (tokens(usage.input_tokens) === 0 && tokens(usage.output_tokens) === 0) return undefined;
    const pricing = lookup(table, modelName, modelProvider);
    if (!pricing) {
      const known = Object.keys(table);
      throw new RangeError(
        `no price for model "${modelName}"${modelProvider ? ` (provider "${modelProvider}")` : ''} in the price table; it prices ${known.slice(0, 10).map((k) => `"${k}"`).join(', ')}${known.length > 10 ? ', …' : ''}`,
      );
    }
    return costOf(pricing, usage);
  };
}

/**
 * MLflow's signature plus the price table as the last argument (MLflow reads its bundled
 * snapshot instead). For many calls prefer {@link createCostCalculator}: it checks the table once.
 */
export function calculateCostByModelAndTokenUsage(
  modelName: string | null | undefined,
  usage: ModelTokenUsage | null | undefined,
  modelProvider: string | null | undefined,
  prices: PriceTable,
): ModelCost | undefined {
  if (prices === undefined) {
    throw new TypeError('calculateCostByModelAndTokenUsage needs a price table as its 4th argument: tracewright bundles no prices');
  }
  return createCostCalculator(prices)(modelName, usage, modelProvider);
}
