export async function run(log: (x: unknown) => void) {
  const grid: string[] = [];
  // @trace
  for (const row of ['r1', 'r2']) {
    await null;
    // @trace
    for (let col = 0; col < 2; col++) {
      await null;
      if (row === 'r2' && col === 1) break;
      grid.push(`${row}c${col}`);
    }
    log(row);
  }
  return grid;
}
