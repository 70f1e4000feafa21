/** What the doctor reports: one finding per cause, each with the one-line fix. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable identifier for CI filters, e.g. "destination.unreachable". */
  id: string;
  /** error: traces cannot be recorded or delivered; warning: some will not be; info: context. */
  severity: Severity;
  message: string;
  /** One line: what to do about it. */
  fix?: string;
  /** Where: a file (with line), a URL, a span or a failure site. */
  site?: string;
}

export interface DiagnoseReport {
  /** The project directory the checks looked at. */
  cwd: string;
  findings: Finding[];
  errors: number;
  warnings: number;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Collects findings; checks never throw (a failing check becomes a finding of its own). */
export class Findings {
  readonly list: Finding[] = [];
  add(finding: Finding): void {
    this.list.push(finding);
  }
  error(id: string, message: string, fix: string, site?: string): void {
    this.add(withSite({ id, severity: 'error', message, fix }, site));
  }
  warning(id: string, message: string, fix: string, site?: string): void {
    this.add(withSite({ id, severity: 'warning', message, fix }, site));
  }
  info(id: string, message: string, site?: string): void {
    this.add(withSite({ id, severity: 'info', message }, site));
  }
}

function withSite(finding: Finding, site: string | undefined): Finding {
  if (site !== undefined) finding.site = site;
  return finding;
}
