// The Node loader in its two module systems, and the registration order it depends on.
// (ES modules through the loader are also covered by the whole fixture corpus.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOADER_MODE, runNode, scratchDir, removeScratchDirs } from './__tests__/workspace.js';

afterAll(removeScratchDirs);

const TRACED = `
import { InMemoryDestination, setDestination } from '@tracewright/runtime';
export const memory = new InMemoryDestination();
setDestination(memory);

// @trace
export function greet(name: string): string {
  return 'hello ' + name;
}
`;
const MAIN = (load: string) => `
${load}
const out = greet('ada');
console.log(JSON.stringify({ out, spans: memory.traces.flatMap((t) => t.data.spans.map((s) => [s.name, s.inputs, s.outputs])) }));
`;
const EXPECTED = { out: 'hello ada', spans: [['greet', { name: 'ada' }, 'hello ada']] };

function project(type: 'module' | 'commonjs', load: string): string {
  const dir = scratchDir(`loader-${type}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
  writeFileSync(join(dir, 'traced.ts'), TRACED);
  writeFileSync(join(dir, 'main.ts'), MAIN(load));
  return dir;
}

describe('node --import @tracewright/transformer/register --import tsx', () => {
  it('rewrites ES modules', async () => {
    const dir = project('module', `import { greet, memory } from './traced.ts';`);
    const run = await runNode([...LOADER_MODE, 'main.ts'], { cwd: dir });
    expect(JSON.parse(run.stdout)).toEqual(EXPECTED);
  });

  it('rewrites CommonJS modules loaded with require() (tsx compiles them to CommonJS)', async () => {
    const dir = project('commonjs', `const { greet, memory } = require('./traced.ts');`);
    const run = await runNode([...LOADER_MODE, 'main.ts'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(EXPECTED);
  });

  it('warns when registered after tsx, where ES modules arrive without their comments', async () => {
    const dir = project('module', `import { greet, memory } from './traced.ts';`);
    const wrongOrder = ['--conditions=@tracewright/source', '--import', 'tsx', '--import', '@tracewright/transformer/register', 'main.ts'];
    const run = await runNode(wrongOrder, { cwd: dir });
    expect(run.stderr).toContain('TRACEWRIGHT_LOADER_ORDER');
    expect(JSON.parse(run.stdout).spans).toEqual([]);
  });
});
