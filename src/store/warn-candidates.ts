/**
 * Which successes without detail analysis must look at for warnings (the rest are never read): the
 * writer flags them in warn_rows as it writes. A superset test of what can raise a warning on such a
 * row (it has no headers or body; only its query can name a credential or carry a JWT marker): the
 * engine then checks each candidate exactly. Names are matched lower-cased by substring; any '%' (an
 * encoded name) or character outside printable ASCII (JavaScript's toLowerCase maps a few of those to
 * ASCII letters) makes a row a candidate too. The SQL form (migrations) and the JavaScript form (the
 * writer) are the same test.
 */
const NAME_PARTS = ['token', 'key', 'secret', 'passw', 'pwd', 'auth', 'sess', 'sid'];

export function queryMayWarn(q: string): boolean {
  if (q.indexOf('%') >= 0 || q.indexOf('REDACTED') >= 0) return true;
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return true;
  }
  const lower = q.toLowerCase();
  for (const p of NAME_PARTS) if (lower.indexOf(p) >= 0) return true;
  return false;
}

/** The same test in SQL, on column `col`. */
export function queryMayWarnSql(col: string): string {
  return `(instr(${col}, '%') > 0 OR instr(${col}, 'REDACTED') > 0 OR ${col} GLOB '*[^ -~]*' OR ${NAME_PARTS.map((p) => `instr(lower(${col}), '${p}') > 0`).join(' OR ')})`;
}
