/**
 * `npm run bench`: runs every benchmark and prints one Markdown table per area, with the machine
 * and date. `npm run bench -- --write` also replaces the generated section of BENCHMARKS.md.
 * `npm run bench -- irp` runs only benchmarks whose file name contains "irp"; with `--write` it
 * replaces only those tables in BENCHMARKS.md and notes that they were refreshed alone.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchmarkTable, renderTable } from './support/measure.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const write = args.includes('--write');
const filters = args.filter((a) => !a.startsWith('--'));

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
  .sort();

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB), Node ${process.version}.`;
const sections: string[] = [header];
console.log(header);
for (const file of files) {
  const module = (await import(join(here, file))) as { run(): Promise<BenchmarkTable[]> | BenchmarkTable[] };
  for (const table of await module.run()) {
    const text = renderTable(table);
    console.log(`\n${text}`);
    sections.push(text);
  }
}

if (write) {
  const path = join(here, '..', 'BENCHMARKS.md');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  if (start < 0 || stop < 0) throw new Error('BENCHMARKS.md lacks the bench:begin/bench:end markers');
  const body =
    filters.length === 0
      ? sections.join('\n\n')
      : mergeSections(current.slice(start + begin.length, stop), sections.slice(1), header);
  const next = `${current.slice(0, start + begin.length)}\n${body}\n${current.slice(stop)}`;
  writeFileSync(path, next);
  console.log('\nBENCHMARKS.md updated.');
}

/**
 * A run of some benchmarks only (`npm run bench -- memfs --write`): their tables replace the
 * tables of the same title, the others stay, and the header says which tables are newer.
 */
function mergeSections(previous: string, fresh: string[], freshHeader: string): string {
  const blocks = previous.trim().split(/\n(?=### )/);
  const oldHeader = blocks[0]!.startsWith('### ') ? '' : blocks.shift()!;
  const titleOf = (block: string): string => block.split('\n', 1)[0]!;
  const freshByTitle = new Map(fresh.map((block) => [titleOf(block), block]));
  const merged = blocks.map((block) => freshByTitle.get(titleOf(block)) ?? block);
  for (const block of fresh) if (!blocks.some((old) => titleOf(old) === titleOf(block))) merged.push(block);
  const baseHeader = oldHeader.split('\n').filter((line) => !line.startsWith('Refreshed alone'))[0] ?? '';
  const refreshed = [...freshByTitle.keys()].map((title) => title.replace(/^### /, '')).join('; ');
  const note = `Refreshed alone later (${freshHeader.replace(/^Measured /, '').replace(/\.$/, '')}): ${refreshed}.`;
  return [`${baseHeader}\n${note}`, ...merged.map((block) => block.trimEnd())].join('\n\n');
}
