/**
 * R-P3: well-known credential formats, ported from the gitleaks default config as prefix checks on a word
 * (a maximal [A-Za-z0-9_-] run) instead of regular expressions. Each check looks at a bounded prefix.
 */

function isUpperB32(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 50 && c <= 55); // A-Z 2-7
}
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function countRun(s: string, from: number, to: number, pred: (c: number) => boolean): number {
  let p = from;
  while (p < to && pred(s.charCodeAt(p))) p++;
  return p - from;
}
function hasDigit(s: string, from: number, to: number): boolean {
  for (let p = from; p < to; p++) { const c = s.charCodeAt(p); if (c >= 48 && c <= 57) return true; }
  return false;
}

const AWS_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'];
const GH_PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'];

/**
 * Does the word s[i, end) start with a known credential format? Returns true when the whole word should
 * be replaced (a few trailing characters of over-redaction are cheaper than a partial leak).
 */
export function isKnownCredential(s: string, i: number, end: number): boolean {
  const len = end - i;
  if (len < 20) return false;
  const c0 = s.charCodeAt(i);
  if (c0 === 65 /* A */) {
    // aws-access-token: (A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b
    const p4 = s.slice(i, i + 4);
    const aws = AWS_PREFIXES.includes(p4) || (p4.startsWith('A3T') && (isUpperB32(s.charCodeAt(i + 3)) || (s.charCodeAt(i + 3) >= 48 && s.charCodeAt(i + 3) <= 57)));
    if (aws && countRun(s, i + 4, i + 20, isUpperB32) === 16) {
      const after = s.charCodeAt(i + 20);
      if (i + 20 === end || !(isAlnum(after) || after === 95)) return true;
    }
    // gcp-api-key: AIza[\w-]{35}
    if (p4 === 'AIza' && len >= 39) return true;
    return false;
  }
  if (c0 === 103 /* g */) {
    // github-pat and friends: gh[pousr]_[0-9a-zA-Z]{36}; github-fine-grained-pat: github_pat_\w{82}
    if (GH_PREFIXES.includes(s.slice(i, i + 4)) && countRun(s, i + 4, end, isAlnum) >= 36) return true;
    if (s.startsWith('github_pat_', i) && len >= 11 + 50) return true;
    if (s.startsWith('glpat-', i) && len >= 26) return true;
    return false;
  }
  if (c0 === 120 /* x */) {
    // slack tokens: xox[abeoprs]-…
    if (s.startsWith('xox', i) && 'abeoprs'.includes(s[i + 3] ?? '') && s[i + 4] === '-' && hasDigit(s, i + 5, end)) return true;
    if (s.startsWith('xapp-', i) && hasDigit(s, i + 5, end)) return true;
    return false;
  }
  if (c0 === 115 /* s */ || c0 === 114 /* r */) {
    // stripe-access-token: (sk|rk)_(test|live|prod)_[a-zA-Z0-9]{10,99}
    if (s[i + 1] === 'k' && s[i + 2] === '_') {
      for (const env of ['test_', 'live_', 'prod_']) {
        if (s.startsWith(env, i + 3) && countRun(s, i + 8, end, isAlnum) >= 10) return true;
      }
    }
    // OpenAI/Anthropic-style secret keys: sk-… (long, with digits)
    if (c0 === 115 && s[i + 1] === 'k' && s[i + 2] === '-' && len >= 35 && hasDigit(s, i + 3, end)) return true;
    return false;
  }
  if (c0 === 110 /* n */) {
    // npm access token
    if (s.startsWith('npm_', i) && countRun(s, i + 4, end, isAlnum) >= 36) return true;
  }
  return false;
}

/**
 * A PEM private-key block starting at `i` (`-----BEGIN … PRIVATE KEY-----`): returns the end of the block,
 * or of the scan window when the END line is missing (fail closed), or -1 when this is no private key.
 */
export function pemEndAt(s: string, i: number, window: number): number {
  if (!s.startsWith('-----BEGIN ', i)) return -1;
  const labelStart = i + 11;
  const labelEnd = s.slice(labelStart, labelStart + 80).indexOf('-----');
  if (labelEnd < 0) return -1;
  const label = s.slice(labelStart, labelStart + labelEnd);
  if (!label.includes('PRIVATE KEY')) return -1;
  const bodyStart = labelStart + labelEnd + 5;
  const limit = Math.min(s.length, bodyStart + window);
  const endAt = s.slice(bodyStart, limit).indexOf('-----END');
  if (endAt < 0) return limit;
  const closeFrom = bodyStart + endAt + 8;
  const close = s.slice(closeFrom, closeFrom + 80).indexOf('-----');
  return close < 0 ? Math.min(s.length, closeFrom + 80) : closeFrom + close + 5;
}
