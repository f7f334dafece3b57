import { toTerminal } from '../core/escape-terminal.js';

/**
 * A one-line progress bar per file on stderr, redrawn in place; only when stderr is a TTY
 * (pipes and CI logs get the summary alone). Throttled to 10 redraws a second.
 */
export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(private readonly label: string, private readonly total: number | null, enabled = process.stderr.isTTY === true) {
    this.enabled = enabled;
  }

  update(bytes: number, records: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = records / secs;
    const mbs = bytes / secs / 1e6;
    let bar = '';
    let eta = '';
    if (this.total && this.total > 0) {
      const frac = Math.min(bytes / this.total, 1);
      const width = 20;
      const filled = Math.round(frac * width);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% `;
      const remaining = frac > 0 ? (secs / frac) * (1 - frac) : 0;
      eta = ` ETA ${Math.floor(remaining / 60)}:${String(Math.floor(remaining % 60)).padStart(2, '0')}`;
    }
    const name = toTerminal(this.label, { max: 40 });
    process.stderr.write(`\r\x1b[2K${name} ${bar}${mbs.toFixed(1)} MB/s ${Math.round(rate).toLocaleString('en-US')} rec/s${eta}`);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}
