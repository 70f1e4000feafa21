// A repository returning Knex query builders (thenables that run their query on every `.then`)
// on PGlite, Postgres compiled to WebAssembly. Untraced, each `await` runs the query once.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { attemptAsync, type Log } from './_support.js';

class UserRepository {
  lastBuilder: Knex.QueryBuilder | undefined;
  constructor(private readonly db: Knex) {}

  //<traced>
  activeUsers(): Knex.QueryBuilder {
    const builder = this.db('users').where({ active: true }).orderBy('id').select('name');
    this.lastBuilder = builder;
    return builder;
  }

  //<traced>
  async countActive(): Promise<number> {
    const [row] = await this.db('users').where({ active: true }).count({ n: '*' });
    return Number(row!.n);
  }
}

/**
 * A fresh in-memory database. Like a test suite keeping a pre-initialized data directory, the
 * first run of a scratch project dumps one next to the runs and later runs load it: initdb
 * costs seconds of CPU, loading a dump a fraction of that.
 */
async function freshDatabase(): Promise<PGlite> {
  const template = '../pglite-template.tar.gz';
  if (existsSync(template)) return PGlite.create({ loadDataDir: new Blob([readFileSync(template)]) });
  const pglite = await PGlite.create();
  const dump = await pglite.dumpDataDir('gzip');
  writeFileSync(`${template}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${template}.${process.pid}`, template);
  return pglite;
}

export async function main(log: Log) {
  const pglite = await freshDatabase();
  const db = knex({ client: ClientPgLite, dialect: 'postgres', connection: { pglite } as unknown as Knex.StaticConnectionConfig });
  const queries: string[] = [];
  db.on('query', (q: { sql: string }) => queries.push(q.sql));
  try {
    await db.schema.createTable('users', (t) => {
      t.increments('id');
      t.string('name');
      t.boolean('active');
    });
    await db('users').insert([
      { name: 'ada', active: true },
      { name: 'bob', active: false },
      { name: 'cy', active: true },
    ]);
    queries.length = 0;
    const repo = new UserRepository(db);

    const builder = repo.activeUsers();
    log(['returned the builder the method built', builder === repo.lastBuilder]);
    log(['sql', builder.toString()]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    log(['queries run before anyone awaited', queries.length]);
    log(['rows', await builder]);
    log(['queries after one await', queries.length]);
    log(['rows again', (await builder).length, 'queries after two awaits', queries.length]);

    await attemptAsync(log, 'countActive', () => repo.countActive());
    log(['queries after countActive', queries.length]);

    // The builder is chained further after the traced call returned it.
    await attemptAsync(log, 'first', async () => repo.activeUsers().first());
    log(['queries at the end', queries.length, queries]);
  } finally {
    await db.destroy();
  }
}
