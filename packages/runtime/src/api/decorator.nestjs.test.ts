/**
 * Issue 12 item 16 from the outside: a real NestJS app (from npm) on 127.0.0.1, compiled by the
 * real TypeScript compiler with experimentalDecorators + emitDecoratorMetadata, served untraced
 * and with `@Trace` placed above the route decorators, below them, and between them. Every
 * response (status, body, headers the decorators set) must be the same, and the spans must carry
 * the inputs Nest passed (after pipes).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { importCompiled } from '../core/__tests__/compile.js';
import { tree, useMemoryDestination } from '../core/__tests__/memory.js';

const memory = useMemoryDestination();

/** Markers: A = above all route decorators, M = between them, B = right above the method, S = service methods. */
const APP = `
import 'reflect-metadata';
import {
  Body, CanActivate, CallHandler, Controller, ExecutionContext, Get, Header, HttpCode, Injectable, Module,
  NestInterceptor, NotFoundException, Param, ParseIntPipe, Post, Query, SetMetadata, UseGuards, UseInterceptors,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { map } from 'rxjs';
import { Trace } from '@tracewright/runtime';

const Roles = (...roles: string[]) => SetMetadata('roles', roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[]>('roles', context.getHandler());
    if (!roles) return true;
    return roles.includes(context.switchToHttp().getRequest().headers['x-role']);
  }
}

@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const handler = context.getHandler().name;
    const tagged = this.reflectTag(context);
    return next.handle().pipe(map((data) => ({ handler, tagged, data })));
  }
  private reflectTag(context: ExecutionContext) {
    return Reflect.getMetadata('roles', context.getHandler()) ?? null;
  }
}

@Injectable()
export class Catalog {
  private readonly items = new Map<number, { id: number; name: string; tags: string[] }>([[1, { id: 1, name: 'apple', tags: [] }]]);
  /*S*/
  find(id: number) {
    return this.items.get(id);
  }
  /*S*/
  add(name: string, tags: string[] = []) {
    const item = { id: this.items.size + 1, name, tags };
    this.items.set(item.id, item);
    return item;
  }
  /*S*/
  async search(q: string, k = 2) {
    await new Promise((r) => setTimeout(r, 1));
    return [...this.items.values()].filter((i) => i.name.includes(q)).slice(0, k);
  }
}

@Controller('items')
@UseInterceptors(EnvelopeInterceptor)
export class ItemsController {
  constructor(private readonly catalog: Catalog) {}

  /*A*/
  @Get('search')
  /*B*/
  search(@Query('q') q: string) {
    return this.catalog.search(q);
  }

  /*A*/
  @Get(':id')
  /*B*/
  get(@Param('id', ParseIntPipe) id: number) {
    const item = this.catalog.find(id);
    if (!item) throw new NotFoundException('no item ' + id);
    return item;
  }

  /*A*/
  @Post()
  @HttpCode(201)
  /*M*/
  @Header('x-created', 'yes')
  /*B*/
  create(@Body() body: { name: string; tags?: string[] }) {
    return this.catalog.add(body.name, body.tags);
  }

  /*A*/
  @Post(':id/archive')
  @HttpCode(200)
  @Roles('admin')
  /*M*/
  @UseGuards(RolesGuard)
  /*B*/
  archive(@Param('id', ParseIntPipe) id: number, @Body('reason') reason: string) {
    return { archived: id, reason };
  }
}

@Module({ controllers: [ItemsController], providers: [Catalog, RolesGuard] })
export class AppModule {}

export async function start() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}
`;

type Placement = 'untraced' | 'above' | 'below' | 'between';

function variant(placement: Placement): string {
  const at = (marker: string, on: boolean) => (source: string) => source.replaceAll(`/*${marker}*/`, on ? '@Trace({ spanType: "CHAIN" })' : '');
  let source = APP;
  source = at('A', placement === 'above')(source);
  source = at('B', placement === 'below')(source);
  // "between": routes without a middle marker get @Trace above, so every route is traced once.
  if (placement === 'between') {
    source = source.replace(/\/\*M\*\//g, '@Trace({ spanType: "CHAIN" })');
    source = source.replace(/(@Get\('search'\)|@Get\(':id'\))/g, '@Trace({ spanType: "CHAIN" })\n  $1');
  } else source = source.replaceAll('/*M*/', '');
  return source.replaceAll('/*S*/', placement === 'untraced' ? '' : "@Trace('RETRIEVER')");
}

interface Reply {
  status: number;
  body: unknown;
  created: string | null;
}

const REQUESTS: Array<[string, string, Record<string, string>?, unknown?]> = [
  ['GET', '/items/1'],
  ['GET', '/items/abc'],
  ['GET', '/items/99'],
  ['GET', '/items/search?q=app'],
  ['POST', '/items', {}, { name: 'pear', tags: ['fruit'] }],
  ['POST', '/items', {}, { name: 'plum' }],
  ['POST', '/items/2/archive', {}, { reason: 'old' }],
  ['POST', '/items/2/archive', { 'x-role': 'admin' }, { reason: 'old' }],
  ['GET', '/nowhere'],
];

let app: { close(): Promise<void>; getHttpServer(): { address(): { port: number } } } | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(placement: Placement): Promise<Reply[]> {
  const { start } = await importCompiled(variant(placement), { experimentalDecorators: true, emitDecoratorMetadata: true });
  app = await start();
  const base = `http://127.0.0.1:${app!.getHttpServer().address().port}`;
  const replies: Reply[] = [];
  for (const [method, path, headers, body] of REQUESTS) {
    const res = await fetch(base + path, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    replies.push({ status: res.status, body: text ? JSON.parse(text) : null, created: res.headers.get('x-created') });
  }
  return replies;
}

describe('@Trace on a real NestJS app', () => {
  let untraced: Reply[];

  test('the untraced app answers as written (the baseline is meaningful)', async () => {
    untraced = await serve('untraced');
    expect(untraced.map((r) => r.status)).toEqual([200, 400, 404, 200, 201, 201, 403, 200, 404]);
    expect(untraced[0]!.body).toEqual({ handler: 'get', tagged: null, data: { id: 1, name: 'apple', tags: [] } });
    expect(untraced[4]!.created).toBe('yes');
    expect(untraced[7]!.body).toEqual({ handler: 'archive', tagged: ['admin'], data: { archived: 2, reason: 'old' } });
    expect(memory.traces).toHaveLength(0);
  });

  test.each<Placement>(['above', 'below', 'between'])('@Trace %s the route decorators: same responses, spans with Nest-resolved inputs', async (placement) => {
    untraced ??= await serve('untraced');
    memory.clear();
    expect(await serve(placement)).toEqual(untraced);

    const roots = memory.traces.map((t) => tree(t));
    const byName = (name: string) => roots.filter((r) => r.name === name);
    // GET /items/1, /items/99 (ParseIntPipe rejects 'abc' before the handler runs)
    expect(byName('get').map((r) => [r.inputs, r.status])).toEqual([
      [{ id: 1 }, 'OK'],
      [{ id: 99 }, 'ERROR'],
    ]);
    expect(byName('get')[0]!.children.map((c) => [c.name, c.type, c.inputs])).toEqual([['find', 'RETRIEVER', { id: 1 }]]);
    expect(byName('search')[0]).toMatchObject({ type: 'CHAIN', inputs: { q: 'app' }, children: [{ name: 'search', inputs: { q: 'app', k: 2 } }] });
    expect(byName('create').map((r) => [r.inputs, r.children[0]!.inputs])).toEqual([
      [{ body: { name: 'pear', tags: ['fruit'] } }, { name: 'pear', tags: ['fruit'] }],
      [{ body: { name: 'plum' } }, { name: 'plum', tags: [] }],
    ]);
    // the guard blocked the first archive call: only the admin's call reached the handler
    expect(byName('archive').map((r) => r.inputs)).toEqual([{ id: 2, reason: 'old' }]);
    expect(roots).toHaveLength(6);
  });
});
