// TanStack Query (query-core): what a query function or a renderer does not read, recording must
// not read either. Reading the context's `signal` getter marks the query abortable (unsubscribing
// then cancels it instead of letting it finish); reading fields of a tracked result through its
// Proxy subscribes the observer to them (more notifications).
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { sleep, type Log } from './_support.js';

interface Todo {
  id: number;
  title: string;
}

class TodoApi {
  calls = 0;

  //<traced>
  async fetchTodos(context: { queryKey: readonly unknown[] }): Promise<Todo[]> {
    this.calls++;
    await sleep(40);
    return [{ id: context.queryKey.length, title: 'write the note' }];
  }
}

class View {
  //<traced>
  render(result: { status: string }): string {
    return `status: ${result.status}`;
  }
}

export async function main(log: Log) {
  const client = new QueryClient();
  client.mount();
  const api = new TodoApi();
  const view = new View();

  // 1. Unsubscribed mid-fetch: a query whose signal nobody read finishes and keeps its data.
  const first = new QueryObserver(client, { queryKey: ['todos'], queryFn: (context) => api.fetchTodos(context) });
  const stop = first.subscribe(() => {});
  await sleep(10);
  stop();
  await sleep(80);
  const state = client.getQueryCache().find({ queryKey: ['todos'] })!.state;
  log(['after unsubscribing mid-fetch', state.status, state.fetchStatus, state.data ?? null]);

  // 2. A tracked result read for `status` only: the observer notifies on status changes only.
  const second = new QueryObserver(client, { queryKey: ['user'], queryFn: async () => ({ name: 'ada' }) });
  const rendered: string[] = [];
  let notifications = 0;
  const unsubscribe = second.subscribe((result) => {
    notifications++;
    rendered.push(view.render(second.trackResult(result)));
  });
  rendered.push(view.render(second.trackResult(second.getCurrentResult())));
  await sleep(30);
  await second.refetch();
  await sleep(30);
  unsubscribe();
  log(['renders', rendered]);
  log(['notifications', notifications]);
  log(['fetches', api.calls]);
  client.unmount();
  client.clear();
}
