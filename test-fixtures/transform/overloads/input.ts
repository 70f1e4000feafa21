// @trace
function format(value: number): string;
function format(value: string, upper: boolean): string;
function format(value: number | string, upper = false): string {
  return typeof value === 'number' ? value.toFixed(1) : upper ? value.toUpperCase() : value;
}

class Parser {
  // @trace
  parse(x: string): number;
  parse(x: number): number;
  parse(x: string | number): number {
    return Number(x);
  }
}

export function run(log: (x: unknown) => void) {
  log(format(1));
  return [format('ab', true), new Parser().parse('42')];
}
