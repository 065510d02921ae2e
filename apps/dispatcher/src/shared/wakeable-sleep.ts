/** A sleep another part of the code can cut short (new work arrived, shutdown). */
export class WakeableSleep {
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pendingWake = false;

  sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.fire(), ms);
    });
  }

  /** Ends the current sleep now, or makes the next one return at once. */
  wakeUp(): void {
    if (this.wake) this.fire();
    else this.pendingWake = true;
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
