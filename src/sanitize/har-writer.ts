/**
 * Writes a HAR document one piece at a time: log-level values in the order they are given, then the
 * entries one by one, never the whole document in memory. Indented like Chrome's export (2 spaces) so a
 * sanitized file can be reviewed before it is shared.
 *
 * Keys of `log` are written as they come; `entries` opens on the first entry and closes when the next
 * log-level value (or the end) arrives. Missing required members are added at the end (HAR 1.2:
 * version, creator, entries), so the output is always a complete `{"log":{…}}`.
 */
import { UserError } from '../core/errors.js';
import { safeJson } from './json-text.js';
import type { TextOutput } from './output.js';

const LOG_INDENT = '    ';
const ENTRY_INDENT = '      ';

/** JSON with 2-space indentation (terminal-safe escapes, see json-text.ts), shifted right by `indent`. */
function indented(value: unknown, indent: string): string {
  const s = safeJson(value, 2);
  return s.replaceAll('\n', '\n' + indent);
}

export class HarWriter {
  private started = false;
  private firstLogKey = true;
  private entriesState: 'none' | 'open' | 'closed' = 'none';
  private firstEntry = true;
  private readonly seen = new Set<string>();
  entries = 0;

  constructor(private readonly out: Pick<TextOutput, 'write'>) {}

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.out.write('{\n  "log": {\n');
  }

  private async closeEntries(): Promise<void> {
    if (this.entriesState !== 'open') return;
    this.entriesState = 'closed';
    await this.out.write(this.firstEntry ? ']' : `\n${LOG_INDENT}]`);
  }

  private async key(name: string): Promise<void> {
    await this.start();
    await this.closeEntries();
    if (this.seen.has(name)) throw new Error(`HarWriter: log.${name} written twice`);
    this.seen.add(name);
    await this.out.write(`${this.firstLogKey ? '' : ',\n'}${LOG_INDENT}${JSON.stringify(name)}: `);
    this.firstLogKey = false;
  }

  /** A member of `log` other than entries (version, creator, pages, comment, _custom…). */
  async logValue(name: string, value: unknown): Promise<void> {
    if (name === 'entries') throw new Error('HarWriter: use entry() for log.entries');
    await this.key(name);
    await this.out.write(indented(value, LOG_INDENT));
  }

  has(name: string): boolean {
    return this.seen.has(name);
  }

  async entry(value: unknown): Promise<void> {
    if (this.entriesState === 'closed') {
      throw new UserError('log.entries appears twice in the input, with other members of log between the two', {
        hint: 'repair the file (merge the two arrays) and run again',
      });
    }
    if (this.entriesState === 'none') {
      await this.key('entries');
      await this.out.write('[');
      this.entriesState = 'open';
    }
    await this.out.write(`${this.firstEntry ? '\n' : ',\n'}${ENTRY_INDENT}${indented(value, ENTRY_INDENT)}`);
    this.firstEntry = false;
    this.entries++;
  }

  /** Writes what is still missing (`defaults`, in order, for keys not yet written), then closes the document. */
  async finish(defaults: Array<[string, unknown]>): Promise<void> {
    await this.start();
    if (this.entriesState === 'none') {
      await this.key('entries');
      await this.out.write('[]');
      this.entriesState = 'closed';
    }
    for (const [name, value] of defaults) {
      if (!this.seen.has(name)) await this.logValue(name, value);
    }
    await this.closeEntries();
    await this.out.write('\n  }\n}\n');
  }
}
