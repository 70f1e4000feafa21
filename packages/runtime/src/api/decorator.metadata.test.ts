/**
 * Issue 12 item 16: `@Trace` keeps what other decorators stored, whatever the order — with a
 * real DI container (Inversify from npm, constructor-parameter metadata from
 * emitDecoratorMetadata), with TC39 decorators (`context.metadata`, metadata on the function),
 * and through the helper directly for hostile inputs. Each program runs untraced and traced
 * and everything observable is compared.
 */
import { describe, expect, test } from 'vitest';
import { importCompiled } from '../core/__tests__/compile.js';
import { tree, useMemoryDestination } from '../core/__tests__/memory.js';
import { getTracingDiagnostics } from '../core/diagnostics.js';
import { carryFunctionMetadata } from './function-metadata.js';
import { isTraced } from './trace.js';

const memory = useMemoryDestination();

const INVERSIFY_APP = `
import 'reflect-metadata';
import { Container, inject, injectable, postConstruct } from 'inversify';
import { Trace } from '@tracewright/runtime';

export const log: string[] = [];

@injectable()
export class Repo {
  private readonly rows = [{ id: 1, name: 'ada' }, { id: 2, name: 'grace' }];
  /*S*/
  find(id: number) {
    return this.rows.find((r) => r.id === id);
  }
}

@injectable()
export class Greeter {
  ready = false;
  constructor(@inject(Repo) private readonly repo: Repo, @inject('prefix') private readonly prefix: string) {}
  /*A*/
  @postConstruct()
  /*B*/
  init() {
    this.ready = true;
    log.push('init');
  }
  /*S*/
  greet(id: number, punctuation = '!') {
    return this.prefix + ' ' + this.repo.find(id)?.name + punctuation;
  }
}

// No @inject: the container reads the design:paramtypes that emitDecoratorMetadata wrote.
@injectable()
export class Directory {
  constructor(private readonly repo: Repo, private readonly greeter: Greeter) {}
  /*S*/
  async names(ids: number[]) {
    await new Promise((r) => setTimeout(r, 1));
    return ids.map((id) => this.greeter.greet(id, '.'));
  }
}

export async function run() {
  const container = new Container();
  container.bind(Repo).toSelf().inSingletonScope();
  container.bind(Greeter).toSelf();
  container.bind(Directory).toSelf();
  container.bind('prefix').toConstantValue('Hello');
  const greeter = container.get(Greeter);
  const directory = container.get(Directory);
  return {
    ready: greeter.ready,
    hello: greeter.greet(1),
    names: await directory.names([1, 2]),
    log: [...log],
    paramtypes: Reflect.getMetadata('design:paramtypes', Directory).map((t: Function) => t.name),
    // init is decorated in every variant, so TypeScript emits the same design:* keys for it
    initKeys: Reflect.getMetadataKeys(Greeter.prototype, 'init'),
  };
}
`;

describe('@Trace with Inversify (real DI container)', () => {
  const compile = (traced: 'no' | 'above' | 'below') =>
    importCompiled(
      INVERSIFY_APP.replaceAll('/*S*/', traced === 'no' ? '' : '@Trace()')
        .replace('/*A*/', traced === 'above' ? '@Trace()' : '')
        .replace('/*B*/', traced === 'below' ? '@Trace()' : ''),
      { experimentalDecorators: true, emitDecoratorMetadata: true },
    );

  test.each(['above', 'below'] as const)('@Trace %s @postConstruct: same resolution and results, spans recorded', async (placement) => {
    const untraced = await (await compile('no')).run();
    expect(untraced).toMatchObject({ ready: true, hello: 'Hello ada!', names: ['Hello ada.', 'Hello grace.'], log: ['init', 'init'] });
    expect(memory.traces).toHaveLength(0);

    const traced = await compile(placement);
    expect(await traced.run()).toEqual(untraced);
    expect(isTraced(traced.Greeter.prototype.init)).toBe(true);
    const roots = memory.traces.map((t) => tree(t));
    expect(roots.map((r) => r.name)).toEqual(['init', 'init', 'greet', 'names']);
    expect(roots[2]).toMatchObject({ inputs: { id: 1, punctuation: '!' }, outputs: 'Hello ada!', children: [{ name: 'find', inputs: { id: 1 } }] });
    expect(roots[3]!.inputs).toEqual({ ids: [1, 2] });
    expect(roots[3]!.children.map((c) => [c.name, c.inputs])).toEqual([
      ['greet', { id: 1, punctuation: '.' }],
      ['greet', { id: 2, punctuation: '.' }],
    ]);
  });
});

const TC39_APP = `
import 'reflect-metadata';
(Symbol as any).metadata ??= Symbol.for('Symbol.metadata');
import { Trace } from '@tracewright/runtime';

function route(path: string) {
  return (fn: Function, context: ClassMethodDecoratorContext) => {
    const routes = ((context.metadata as any).routes ??= []);
    routes.push([String(context.name), path]);
    Reflect.defineMetadata('path', path, fn);
    (fn as any).routePath = path;
  };
}

export class Api {
  @route('/a')
  /*T*/
  a(x: number) {
    return x + 1;
  }
  /*T*/
  @route('/b')
  b(y: number) {
    return y * 2;
  }
}

export function describeApi() {
  const proto = Api.prototype as any;
  return {
    metadata: (Api as any)[Symbol.metadata],
    paths: [Reflect.getMetadata('path', proto.a), Reflect.getMetadata('path', proto.b)],
    props: [proto.a.routePath, proto.b.routePath],
    names: [proto.a.name, proto.b.name, proto.a.length],
    results: [new Api().a(1), new Api().b(2)],
  };
}
`;

test('TC39 decorators: Symbol.metadata and function metadata are the same in either order', async () => {
  const untraced = (await importCompiled(TC39_APP.replaceAll('/*T*/', ''))).describeApi();
  expect(untraced).toEqual({ metadata: { routes: [['a', '/a'], ['b', '/b']] }, paths: ['/a', '/b'], props: ['/a', '/b'], names: ['a', 'b', 1], results: [2, 4] });
  const traced = (await importCompiled(TC39_APP.replaceAll('/*T*/', '@Trace()'))).describeApi();
  expect(traced).toEqual(untraced);
  expect(memory.traces.map((t) => [t.data.spans[0]!.name, t.data.spans[0]!.inputs])).toEqual([
    ['a', { x: 1 }],
    ['b', { y: 2 }],
  ]);
});

describe('carryFunctionMetadata', () => {
  test('copies own properties and reflect-metadata, keeps the wrapper’s own name, length and marker', async () => {
    await import('reflect-metadata');
    const R = Reflect as unknown as { defineMetadata(k: unknown, v: unknown, t: object): void; getOwnMetadata(k: unknown, t: object): unknown };
    const original = Object.assign(function original(_a: number) {}, { flag: 1, [Symbol.for('tag')]: 'x' });
    R.defineMetadata('route', '/r', original);
    const wrapper = function wrapper() {};
    Object.defineProperty(wrapper, 'marker', { value: true });
    Object.defineProperty(original, 'marker', { value: false });
    carryFunctionMetadata(original, wrapper);
    expect([(wrapper as any).flag, (wrapper as any)[Symbol.for('tag')], (wrapper as any).marker]).toEqual([1, 'x', true]);
    expect([wrapper.name, wrapper.length]).toEqual(['wrapper', 0]);
    expect(R.getOwnMetadata('route', wrapper)).toBe('/r');
  });

  test('a hostile function never makes decoration throw; the failure is counted', () => {
    const hostile = new Proxy(function f() {}, {
      ownKeys() {
        throw new Error('no keys for you');
      },
    });
    expect(() => carryFunctionMetadata(hostile, function g() {})).not.toThrow();
    expect(getTracingDiagnostics().errors['@Trace (carrying decorator metadata)']).toBe(1);
  });
});
