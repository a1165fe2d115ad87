// "Tell me when a read would not wait", for select: watchers are called
// once, as soon as the endpoint has something for a reader (data, the peer's
// end, an error, a pending connection), without taking it. Whoever then
// reads gets it as usual.
export class Readiness {
  private readonly watchers = new Set<() => void>();

  constructor(private readonly ready: () => boolean) {}

  /** Call `notify` once the endpoint is ready (at once if it is); returns how to stop watching. */
  watch(notify: () => void): () => void {
    if (this.ready()) {
      notify();
      return () => {};
    }
    this.watchers.add(notify);
    return () => this.watchers.delete(notify);
  }

  /** Something changed: tell the watchers if the endpoint is ready now. */
  check(): void {
    if (this.watchers.size === 0 || !this.ready()) return;
    const ws = [...this.watchers];
    this.watchers.clear();
    for (const w of ws) w();
  }
}
