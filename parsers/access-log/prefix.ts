/**
 * Line prefixes that transports put in front of an access-log line: the Kubernetes CRI
 * container-log prefix (`2023-10-01T12:00:00.123456789Z stdout F `) and a syslog header
 * (`Mar  1 12:00:00 host haproxy[123]: `, `<134>…`, `2012-06-12T17:56:11+00:00 host tag: `).
 * Both are checked with a few character tests first, so lines without a prefix cost almost nothing.
 * Shared by the text and structured formats.
 */

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Length of an RFC 3339 timestamp starting at `from` (`2023-10-01T12:00:00[.fff…](Z|±hh:mm)`), or 0.
 * Only the shape is checked: the prefix's own time is never used.
 */
function rfc3339Length(line: string, from: number): number {
  const n = line.length;
  if (n - from < 20) return 0;
  if (line.charCodeAt(from + 4) !== 45 || line.charCodeAt(from + 7) !== 45) return 0;
  const t = line.charCodeAt(from + 10);
  if (t !== 84 && t !== 116) return 0; // T or t
  if (line.charCodeAt(from + 13) !== 58 || line.charCodeAt(from + 16) !== 58) return 0;
  if (!isDigit(line.charCodeAt(from)) || !isDigit(line.charCodeAt(from + 18))) return 0;
  let i = from + 19;
  if (line.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(line.charCodeAt(i))) i++;
  }
  const z = line.charCodeAt(i);
  if (z === 90 || z === 122) return i + 1 - from; // Z
  if (z === 43 || z === 45) {
    // ±hh:mm or ±hhmm
    if (isDigit(line.charCodeAt(i + 1)) && isDigit(line.charCodeAt(i + 2))) {
      if (line.charCodeAt(i + 3) === 58) return i + 6 - from;
      return i + 5 - from;
    }
  }
  return 0;
}

/**
 * Length of a CRI container-log prefix (`<rfc3339> stdout|stderr F|P `), or 0 when the line has none.
 * `P` marks a partial line that the runtime split; it is stripped the same way (joining partials is the
 * reader's job, and access-log lines are rarely long enough to be split).
 */
export function criPrefixLength(line: string): number {
  // Cheap rejection: CRI lines start with a 4-digit year then '-'.
  if (line.length < 30 || line.charCodeAt(4) !== 45 || !isDigit(line.charCodeAt(0))) return 0;
  const t = rfc3339Length(line, 0);
  if (t === 0 || line.charCodeAt(t) !== 32) return 0;
  let i = t + 1;
  if (line.startsWith('stdout ', i) || line.startsWith('stderr ', i)) i += 7;
  else return 0;
  const tag = line.charCodeAt(i);
  if ((tag !== 70 && tag !== 80) || line.charCodeAt(i + 1) !== 32) return 0; // F or P
  return i + 2;
}

/** The line without its CRI prefix (the same string when there is none). */
export function stripCriPrefix(line: string): string {
  const n = criPrefixLength(line);
  return n === 0 ? line : line.slice(n);
}

const MONTH_START = 'JFMASOND';

/**
 * Length of a syslog header starting at `from`, or 0. Accepted shapes (optionally after `<PRI>`):
 *   `Mmm dd HH:MM:SS host tag[pid]: `        (RFC 3164; day may be space-padded)
 *   `<rfc3339> host tag[pid]: `              (rsyslog high-precision / journald export)
 *   `<PRI>1 <rfc3339> host app procid msgid - ` (RFC 5424, structured data `-` only)
 * The tag part must end in `: ` within 64 characters, so a request line is never mistaken for it.
 */
export function syslogPrefixLength(line: string, from = 0): number {
  const n = line.length;
  if (n - from < 16) return 0;
  let i = from;
  let rfc5424 = false;
  if (line.charCodeAt(from) === 60) {
    // <PRI>
    let j = from + 1;
    while (j < from + 5 && isDigit(line.charCodeAt(j))) j++;
    if (j === from + 1 || line.charCodeAt(j) !== 62) return 0;
    i = j + 1;
    if (line.charCodeAt(i) === 49 && line.charCodeAt(i + 1) === 32) {
      rfc5424 = true;
      i += 2;
    }
  }
  const c0 = line.charCodeAt(i);
  if (isDigit(c0)) {
    const t = rfc3339Length(line, i);
    if (t === 0) return 0;
    i += t;
  } else if (!rfc5424 && MONTH_START.includes(line[i]!)) {
    // Mmm dd HH:MM:SS  (15 chars)
    if (n - i < 16 || line.charCodeAt(i + 3) !== 32) return 0;
    const d1 = line.charCodeAt(i + 4);
    if (!(d1 === 32 || isDigit(d1)) || !isDigit(line.charCodeAt(i + 5))) return 0;
    if (line.charCodeAt(i + 6) !== 32 || line.charCodeAt(i + 9) !== 58 || line.charCodeAt(i + 12) !== 58) return 0;
    if (!isDigit(line.charCodeAt(i + 7)) || !isDigit(line.charCodeAt(i + 14))) return 0;
    i += 15;
  } else {
    return 0;
  }
  if (line.charCodeAt(i) !== 32) return 0;
  i++;
  // host
  const hostEnd = line.indexOf(' ', i);
  if (hostEnd <= i || hostEnd - i > 255) return 0;
  i = hostEnd + 1;
  if (rfc5424) {
    // app procid msgid structured-data(-) then the message
    for (let k = 0; k < 3; k++) {
      const e = line.indexOf(' ', i);
      if (e <= i || e - i > 128) return 0;
      i = e + 1;
    }
    if (line.charCodeAt(i) !== 45 || line.charCodeAt(i + 1) !== 32) return 0;
    return i + 2 - from;
  }
  // tag[pid]: or tag:
  const limit = Math.min(n, i + 64);
  for (let j = i; j < limit; j++) {
    const c = line.charCodeAt(j);
    if (c === 58 && line.charCodeAt(j + 1) === 32) return j === i ? 0 : j + 2 - from;
    if (c === 32 || c === 34) return 0;
  }
  return 0;
}
