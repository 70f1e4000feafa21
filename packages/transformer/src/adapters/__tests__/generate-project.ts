// A synthetic TypeScript project for benchmarks: realistic-looking modules, some of them
// annotated with `// @trace`, all imported from one entry so a bundler walks every file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedProject {
  dir: string;
  entry: string;
  files: string[];
  bytes: number;
}

function moduleSource(index: number, traced: boolean): string {
  const directive = traced ? '// @trace\n' : '';
  const id = `m${index}`;
  const helpers = Array.from(
    { length: 6 },
    (_, k) => `/** Helper ${k} of module ${index}: folds the values with a weight. */
function ${id}Helper${k}(values: readonly number[], weight = ${k + 1}): number {
  let total = 0;
  for (const value of values) {
    total += value * weight - (value % ${k + 2});
  }
  return total;
}
`,
  ).join('\n');
  return `// Generated module ${index}.
export interface ${id.toUpperCase()}Options {
  readonly label: string;
  readonly limit?: number;
}

${helpers}
${directive}export function ${id}Compute(options: ${id.toUpperCase()}Options, ...values: number[]): string {
  const limited = values.slice(0, options.limit ?? values.length);
  return \`\${options.label}:\${${id}Helper0(limited) + ${id}Helper5(limited)}\`;
}

export class ${id.toUpperCase()}Service {
  private readonly cache = new Map<string, number>();

  ${directive.trim()}
  async lookup(key: string, fallback = 0): Promise<number> {
    await Promise.resolve();
    return this.cache.get(key) ?? fallback;
  }

  store(key: string, value: number): void {
    this.cache.set(key, value);
  }
}

${directive}export const ${id}Arrow = async (text: string): Promise<number> => {
  await Promise.resolve();
  return text.length + ${index};
};
`;
}

/** Writes `count` modules (every `annotateEvery`-th one annotated, 3 sites each) plus `main.ts`. */
export function generateProject(dir: string, count = 300, annotateEvery = 3): GeneratedProject {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const imports: string[] = [];
  const calls: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, 'src', `m${i}.ts`);
    const source = moduleSource(i, i % annotateEvery === 0);
    writeFileSync(file, source);
    files.push(file);
    bytes += Buffer.byteLength(source);
    imports.push(`import { m${i}Compute } from './m${i}.js';`);
    calls.push(`  out.push(m${i}Compute({ label: 'm${i}' }, 1, 2, 3));`);
  }
  const entry = join(dir, 'src', 'main.ts');
  writeFileSync(entry, `${imports.join('\n')}\n\nexport function main(): string[] {\n  const out: string[] = [];\n${calls.join('\n')}\n  return out;\n}\n`);
  return { dir, entry, files, bytes };
}
