import { LOG_FORMATS } from '../../../parsers/access-log/registry.js';

/** `faultline formats`: what --format accepts, in detection order. */
export function runFormats(opts: { json?: boolean }): void {
  const rows = [{ id: 'har', title: 'HAR 1.1/1.2 (browser and proxy exports, .har or .har.gz)' }, ...LOG_FORMATS.map((f) => ({ id: f.id, title: f.title }))];
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows) + '\n');
    return;
  }
  const w = Math.max(...rows.map((r) => r.id.length));
  process.stdout.write(rows.map((r) => `${r.id.padEnd(w)}  ${r.title}`).join('\n') + '\n');
}
