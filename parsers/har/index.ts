/**
 * Streaming HAR parser (HAR 1.1 / 1.2, BOM, JSONP, every common exporter).
 * See parse.ts for the event contract and scanner.ts for how memory stays bounded.
 */
export { parseHar, DEFAULT_ENTRY_TEXT_CAP, type HarMeta, type HarParseOptions } from './parse.js';
export { harEntryToRecord, DEFAULT_BODY_CAP } from './entry.js';
export { sniffHar } from './sniff.js';
