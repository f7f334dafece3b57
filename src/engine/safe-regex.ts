/**
 * A conservative check for regular expressions written in user rule files. It refuses the
 * shapes that backtrack catastrophically (nested quantifiers, quantified alternations, several
 * unbounded wildcards). It is a linter, not a proof: the engine also caps the text a regex sees.
 */

/** Returns why `src` looks unsafe, or null. */
export function regexLooksUnsafe(src: string): string | null {
  // Per open group: did it contain an unbounded quantifier / an alternation?
  const stack: Array<{ quantified: boolean; alternation: boolean }> = [];
  let wildcards = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c === '(') { stack.push({ quantified: false, alternation: false }); continue; }
    if (c === '|') { const top = stack[stack.length - 1]; if (top) top.alternation = true; continue; }
    const next = src[i + 1];
    const unboundedNext = next === '+' || next === '*' || (next === '{' && /^\{\d+,\}/.test(src.slice(i + 1, i + 12)));
    if (c === ')') {
      const g = stack.pop();
      if (!g) continue;
      if (unboundedNext && g.quantified) return 'a quantified group contains another quantifier, like (a+)+';
      if (unboundedNext && g.alternation) return 'a quantified group contains an alternation, like (a|ab)*';
      const top = stack[stack.length - 1];
      if (top && (g.quantified || unboundedNext)) top.quantified = true;
      continue;
    }
    if (unboundedNext) {
      const top = stack[stack.length - 1];
      if (top) top.quantified = true;
      if (c === '.') wildcards++;
    }
  }
  if (wildcards > 1) return 'more than one unbounded wildcard, like .*x.*';
  return null;
}
