/**
 * A command's round trip: one request to the daemon (or the in-process system of --config), and
 * its result printed either as one line of JSON (`--json`, for scripts: the method's result shape
 * as host/control/methods.ts declares it) or as the command's human lines. Every command that is
 * one request and one answer goes through these two, so `--json` means the same everywhere.
 */
import type { CommandContext } from './command.ts';
import { EXIT_OK } from './exit-codes.ts';

/** Sends `method` with `params` over the context's transport and returns the result. */
export async function call<T>(
  context: CommandContext,
  method: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  return (await context.transport()).request<T>(method, params);
}

/** Prints `result` as JSON with --json, else the lines `human` makes (built only when needed). */
export function emit(context: CommandContext, result: unknown, human: () => string[]): number {
  if (context.json) context.printJson(result);
  else for (const line of human()) context.print(line);
  return EXIT_OK;
}
