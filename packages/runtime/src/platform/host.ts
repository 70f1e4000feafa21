import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread as mainThread } from 'node:worker_threads';

/** The OS user running the process; undefined without a passwd entry (some containers). */
export function hostUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** File name of the program's entry script (`node app.js` → `app.js`). */
export function entryScriptName(): string | undefined {
  const entry = process.argv[1];
  return entry ? basename(entry) : undefined;
}

export const isMainThread: boolean = mainThread;

/** A stack-trace file name as a path (`file:` URLs converted). */
export function stackFileToPath(name: string): string {
  return name.startsWith('file:') ? fileURLToPath(name) : name;
}
