// A fire-and-forget call whose rejection nobody handles: Node's default crashes the process
// (exit code 1, the reason on stderr). Run without an unhandledRejection listener ("crash" mode).
import { sleep, type Log } from './_support.js';

class Notifier {
  //<traced>
  async send(to: string): Promise<void> {
    await sleep(5);
    throw new Error(`SMTP refused ${to}`);
  }
}

export async function main(log: Log) {
  void new Notifier().send('ops@example.com');
  log('sent');
  await sleep(200);
  log('still running 200 ms later');
}
