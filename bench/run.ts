/**
 * `npm run bench`: runs every benchmark and prints one Markdown table per area, with the machine
 * and date. `npm run bench -- --write` also replaces the generated section of BENCHMARKS.md.
 * `npm run bench -- irp` runs only benchmarks whose file name contains "irp".
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
  const next = `${current.slice(0, start + begin.length)}\n${sections.join('\n\n')}\n${current.slice(stop)}`;
  writeFileSync(path, next);
  console.log('\nBENCHMARKS.md updated.');
}
