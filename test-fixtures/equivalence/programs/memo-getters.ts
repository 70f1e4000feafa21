// xstate's shape: a node whose toJSON() reads a getter that memoizes (`on`), handed to a traced
// function while the machine is still being built; entries added after that call must still show
// in `on` later. Recording the node by its toJSON() would read, and so cache, `on` too early.
import { type Log } from './_support.js';

class StateNode {
  readonly transitions = new Map<string, string>();
  private cachedOn: Record<string, string> | undefined;

  get on(): Record<string, string> {
    this.cachedOn ??= Object.fromEntries(this.transitions);
    return this.cachedOn;
  }

  get definition() {
    return { on: this.on };
  }

  toJSON() {
    return { definition: this.definition };
  }
}

class Machine {
  readonly root = new StateNode();

  constructor() {
    this.root.transitions.set('NEXT', 'b');
    this.formatRoutes(this.root);
  }

  //<traced>
  formatRoutes(node: StateNode): number {
    node.transitions.set('xstate.route', 'routed');
    return node.transitions.size;
  }
}

export function main(log: Log) {
  const machine = new Machine();
  log(['events on the root', Object.keys(machine.root.on)]);
  log(['as JSON', JSON.stringify(machine.root)]);
}
