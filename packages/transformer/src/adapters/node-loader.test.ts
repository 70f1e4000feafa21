// The Node loader in its two module systems, and the registration order it depends on.
// (ES modules through the loader are also covered by the whole fixture corpus.)
import { readdirSync, statSync, writeFileSync } from 'node:fs';
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

/** Bytes of trace segments a run wrote under `root` (the rewrite really traced). */
function storedSegments(root: string): number {
  let bytes = 0;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.seg')) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

describe('the module system Node loads a file in decides the import form the rewrite adds', () => {
  // A CommonJS script with no require/exports of its own (no text the rewrite could take for
  // CommonJS), entry and required; what it can observe of its module system.
  const SCRIPT = (name: string) => `
// @trace
function f(a) { return a + 1 }
undeclared_${name} = f(1) // a sloppy-mode global write: a ReferenceError in an ES module
console.log(JSON.stringify({ ${name}: [typeof module, typeof require, this === module['exports'], undeclared_${name}] }))
`;

  it('keeps a CommonJS script without require or exports CommonJS, as entry and as required', async () => {
    const dir = scratchDir('loader-cjs-script');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(dir, 'side.js'), SCRIPT('side'));
    writeFileSync(join(dir, 'main.js'), `${SCRIPT('main')}require('./side.js');\n`);
    const untraced = await runNode(['main.js'], { cwd: dir });
    // Node's own CommonJS loader compiles it (tsx would turn an added import into a require),
    // so the packages' builds are loaded (`npm test` builds them first).
    const traced = await runNode(['--import', '@tracewright/transformer/register', 'main.js'], { cwd: dir, env: { MLFLOW_TRACKING_URI: join(dir, 'mlruns') } });
    expect(untraced.stdout).toBe('{"main":["object","function",true,2]}\n{"side":["object","function",true,2]}\n');
    expect(traced.stderr).toBe('');
    expect(traced.stdout).toBe(untraced.stdout);
    expect(storedSegments(join(dir, 'mlruns'))).toBeGreaterThan(0);
  });

  it('keeps an ES module whose comment mentions module.exports an ES module', async () => {
    const dir = scratchDir('loader-esm-prose');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'main.js'), `// this script used to set module.exports; now an ES module\n// @trace\nfunction f(a) { return a + 1 }\nconsole.log(f(1), typeof require, this === undefined)\n`);
    const untraced = await runNode(['main.js'], { cwd: dir });
    const traced = await runNode([...LOADER_MODE, 'main.js'], { cwd: dir, env: { MLFLOW_TRACKING_URI: join(dir, 'mlruns') } });
    expect(untraced.stdout).toBe('2 undefined true\n');
    expect(traced.stderr).toBe('');
    expect(traced.stdout).toBe(untraced.stdout);
    expect(storedSegments(join(dir, 'mlruns'))).toBeGreaterThan(0);
  });
});
