/**
 * A progress bar for long copies, on standard error and only when it is a terminal, so pipes and
 * scripts never see it. Redraws at most ten times a second and erases itself when done. A total of
 * 0 means the size is unknown (standard input): then it shows the bytes so far and the rate.
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
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const rate = `${formatBytes(current / seconds)}/s`;
    if (total <= 0) {
      // Unknown size (standard input): how much so far, and how fast.
      stream.write(`\r${label}  ${formatBytes(current)}  ${rate}\x1b[K`);
      return;
    }
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
    const fraction = Math.min(1, current / total);
    const filled = Math.round(fraction * width);
    stream.write(
      `\r${label} [${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(current)} / ${formatBytes(total)}  ${rate}\x1b[K`,
    );
  };
  return {
    advance(bytes) {
      current += bytes;
      const t = now();
      if (t - lastDraw >= 100 || (total > 0 && current >= total)) {
        lastDraw = t;
        draw();
      }
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
