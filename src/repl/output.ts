// The shell's standard output and error for min code. Writes are gathered and
// sent on the next turn of the event loop, so output of background tasks
// appears while the shell waits at its prompt (where the prompt is redrawn
// below it), and the text after the last newline is known, for `gets`.
import type { Writer } from '../core/runtime.js';

const FLUSH_AT = 1 << 16;

export class ShellWriter implements Writer {
  private buf = '';
  private scheduled = false;
  /** What has been written after the last newline (e.g. the question of `ask`). */
  tail = '';

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** Wraps each actual write: the shell clears and redraws its prompt around it. */
    private readonly around: (write: () => void, text: string) => void = (w) => w(),
  ) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length > FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buf === '') return;
    const s = this.buf;
    this.buf = '';
    const nl = s.lastIndexOf('\n');
    this.tail = nl < 0 ? this.tail + s : s.slice(nl + 1);
    this.around(() => void this.stream.write(s), s);
  }
}
