/**
 * A progress bar for long copies, on standard error and only when it is a terminal, so pipes and
 * scripts never see it. Redraws at most ten times a second and erases itself when done.
 */
import { formatBytes } from './output.ts';

export interface Progress {
  advance(bytes: number): void;
  done(): void;
}

const NONE: Progress = { advance() {}, done() {} };

export function startProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  label: string,
  total: number,
  now: () => number = Date.now,
): Progress {
  if (stream.isTTY !== true) return NONE;
  const started = now();
  let current = 0;
  let lastDraw = 0;
  const draw = (): void => {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
    const fraction = total > 0 ? Math.min(1, current / total) : 1;
    const filled = Math.round(fraction * width);
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const rate = `${formatBytes(current / seconds)}/s`;
    stream.write(
      `\r${label} [${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(current)} / ${formatBytes(total)}  ${rate}\x1b[K`,
    );
  };
  return {
    advance(bytes) {
      current += bytes;
      const t = now();
      if (t - lastDraw >= 100 || current >= total) {
        lastDraw = t;
        draw();
      }
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
