import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the shared corpus beside it (never copied into the repo). */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SHARED = resolve(ROOT, '..', 'shared');
export const CORPUS = join(SHARED, 'corpus');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export function corpus(rel: string): string {
  const p = join(CORPUS, rel);
  if (!existsSync(p)) throw new Error(`corpus file missing: ${p} (is ../shared beside the checkout?)`);
  return p;
}

/** Reads a HAR the way a careful test would: strip a BOM, JSON.parse. */
export function parseHarFile(path: string): { log: { entries: Array<Record<string, any>> } } {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return JSON.parse(text);
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'faultline-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
