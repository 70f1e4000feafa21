/** Edge runtimes have no OS user, entry script or worker threads in Node's sense. */
export function hostUser(): string | undefined {
  return undefined;
}

export function entryScriptName(): string | undefined {
  return undefined;
}

export const isMainThread: boolean = true;

export function stackFileToPath(name: string): string {
  return name;
}
