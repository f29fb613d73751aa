/**
 * Side-by-side timing: run a Strata operation and its reference in alternating rounds in the same
 * process, take the median nanoseconds per operation of each, and report the ratio. Alternating
 * rounds keep drifting machine load from favouring either side.
 */

export interface Measured {
  nsPerOp: number;
}

export interface Pair {
  strata: Measured;
  reference: Measured;
  /** strata / reference: below 1 means Strata is faster. */
  ratio: number;
}

/** Nanoseconds per call of `body(n)` which performs `n` operations. */
function timeRound(body: (n: number) => void, n: number): number {
  const start = process.hrtime.bigint();
  body(n);
  return Number(process.hrtime.bigint() - start) / n;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface CompareOptions {
  /** Operations per round. */
  operations: number;
  rounds?: number;
  warmupRounds?: number;
}

export function compare(
  strata: (n: number) => void,
  reference: (n: number) => void,
  options: CompareOptions,
): Pair {
  const rounds = options.rounds ?? 9;
  const warmup = options.warmupRounds ?? 3;
  for (let i = 0; i < warmup; i++) {
    timeRound(strata, options.operations);
    timeRound(reference, options.operations);
  }
  const s: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < rounds; i++) {
    s.push(timeRound(strata, options.operations));
    r.push(timeRound(reference, options.operations));
  }
  const strataNs = median(s);
  const referenceNs = median(r);
  return {
    strata: { nsPerOp: strataNs },
    reference: { nsPerOp: referenceNs },
    ratio: strataNs / referenceNs,
  };
}

/**
 * Median nanoseconds per operation of each body, measured in interleaved rounds (every body once
 * per round, in turn), so configurations that are compared with each other (0, 1, 4 filters) see
 * the same machine state and JIT state.
 */
export function measureInterleaved(bodies: Array<(n: number) => void>, options: CompareOptions): number[] {
  const rounds = options.rounds ?? 15;
  const warmup = options.warmupRounds ?? 3;
  for (let i = 0; i < warmup; i++) for (const body of bodies) timeRound(body, options.operations);
  const samples: number[][] = bodies.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < bodies.length; k++) samples[k]!.push(timeRound(bodies[k]!, options.operations));
  }
  return samples.map(median);
}

export interface Row {
  case: string;
  strata: string;
  reference: string;
  ratio: string;
  target: string;
  verdict: string;
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function row(name: string, pair: Pair, target: string, ok: boolean | null): Row {
  return {
    case: name,
    strata: formatNs(pair.strata.nsPerOp),
    reference: formatNs(pair.reference.nsPerOp),
    ratio: `${pair.ratio.toFixed(2)}x`,
    target,
    verdict: ok === null ? '' : ok ? 'met' : 'MISSED',
  };
}

export interface BenchmarkTable {
  title: string;
  reference: string;
  rows: Row[];
  notes?: string[];
}

export function renderTable(table: BenchmarkTable): string {
  const header = ['Case', 'Strata', `Reference (${table.reference})`, 'Ratio', 'Target', 'Verdict'];
  const lines = [
    `### ${table.title}`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...table.rows.map(
      (r) => `| ${[r.case, r.strata, r.reference, r.ratio, r.target, r.verdict].join(' | ')} |`,
    ),
  ];
  if (table.notes !== undefined && table.notes.length > 0)
    lines.push('', ...table.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
