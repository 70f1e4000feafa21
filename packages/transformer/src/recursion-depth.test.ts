// Traced recursion must not run out of stack far earlier than untraced recursion (issue 12
// item 13): a traced sync or async function compiles inline (enter / exit / fail around its own
// body), so a traced level is one frame, as untraced. (The async closure form it replaced took
// three frames per level, and its promise hook killed the process at the overflow: exit code 7.) Both compile paths (text rewrite, ts-patch
// factory emitter), measured against the untraced function in one process (a plain Node
// child, see __tests__/recursion-depth.ts), tracing on and every span kept.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

interface Depths {
  untraced: number;
  text: number;
  tspatch: number;
  disabled: number;
  spans: Record<string, number>;
}

describe('traced recursion depth (issue 12 item 13)', () => {
  it('a // @trace sync or async function recurses at least half as deep as untraced, on both compile paths', async () => {
    const script = fileURLToPath(new URL('./__tests__/recursion-depth.ts', import.meta.url));
    // An async overflow prints Node's "Exception in PromiseRejectCallback" notes on stderr, untraced too.
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@tracewright/source', '--import', import.meta.resolve('tsx'), script], { maxBuffer: 64 * 1024 * 1024 });
    const all = JSON.parse(stdout) as { sync: Depths; async: Depths };
    for (const [flavor, r] of Object.entries(all)) {
      const pct = (n: number) => `${Math.round((n / r.untraced) * 100)}%`;
      console.log(`max ${flavor} recursion depth: untraced ${r.untraced}; // @trace text path ${r.text} (${pct(r.text)}), ts-patch path ${r.tspatch} (${pct(r.tspatch)}); tracing disabled ${r.disabled} (${pct(r.disabled)})`);
      // Each level recorded a span with its input and output (n levels below n = 1000: 1001 spans).
      expect(r.spans, flavor).toEqual({ text: 1_001, tspatch: 1_001 });
      expect(r.text, flavor).toBeGreaterThanOrEqual(r.untraced / 2);
      expect(r.tspatch, flavor).toBeGreaterThanOrEqual(r.untraced / 2);
      expect(r.disabled, flavor).toBeGreaterThanOrEqual(r.untraced / 2);
    }
  }, 120_000);
});
