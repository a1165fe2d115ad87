// Child processes for `system`, `run` and command values. They
// are always asynchronous, so other tasks keep running while a command does.
import type { ChildProcess } from 'node:child_process';
import { childProcess, os } from './builtins.js';
import { MinError } from '../core/errors.js';
import { osReason } from './oserror.js';

export interface ProcessOptions {
  /** Share our standard streams with the child (a terminal stays a terminal). */
  inherit?: boolean;
  onStdout?: (s: string) => void;
  onStderr?: (s: string) => void;
}

const WINDOWS = process.platform === 'win32';

/** The program and arguments that run `cmd` through the system shell. */
export function shellArgs(cmd: string): [string, string[]] {
  return WINDOWS ? [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${cmd}"`]] : ['/bin/sh', ['-c', cmd]];
}

/** Exit status the way a shell reports it: a signal N becomes 128+N. */
function statusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? (os().constants.signals as Record<string, number>)[signal] : undefined;
  return 128 + (n ?? 0);
}

/** Run a program to completion and resolve with its exit status. */
export function runProcess(file: string, args: string[], o: ProcessOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = childProcess().spawn(file, args, {
        // A captured child gets no input: it must not compete with us for stdin.
        stdio: o.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
        windowsVerbatimArguments: WINDOWS && file === shellArgs('')[0],
      });
    } catch (e) {
      reject(new MinError(`Cannot run ${file}: ${osReason(e)}`, 'OSError'));
      return;
    }
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => o.onStdout?.(s));
    child.stderr?.on('data', (s: string) => o.onStderr?.(s));
    child.on('error', (e) => reject(new MinError(`Cannot run ${file}: ${osReason(e)}`, 'OSError')));
    child.on('close', (code, signal) => resolve(statusOf(code, signal)));
  });
}

/** Run a shell command, collecting what it prints. */
export async function captureShell(cmd: string, mergeStderr: boolean, onStderr?: (s: string) => void): Promise<{ output: string; code: number }> {
  let output = '';
  const [file, args] = shellArgs(cmd);
  const code = await runProcess(file, args, {
    onStdout: (s) => void (output += s),
    onStderr: mergeStderr ? (s) => void (output += s) : onStderr,
  });
  return { output, code };
}

/** Nim's strip: the output of `run` and of a command loses its surrounding spaces, tabs and line ends. */
export const stripWhitespace = (s: string): string => s.replace(/^[ \t\v\r\n\f]+|[ \t\v\r\n\f]+$/g, '');
