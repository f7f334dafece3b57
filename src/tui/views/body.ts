/**
 * The body excerpt for display: pretty-printed when it is JSON (by MIME type or by its first
 * character), otherwise as its own lines. Returns raw lines; callers sanitize each (T1). Excerpts
 * are capped at ingest, and here at `maxLines` so one body cannot cost the screen a second.
 */

export function looksJson(body: string, mime: string | null): boolean {
  if (mime && /json/i.test(mime)) return true;
  const c = body.trimStart()[0];
  return c === '{' || c === '[';
}

export function bodyLines(body: string, mime: string | null, maxLines = 400): { lines: string[]; json: boolean; cut: boolean } {
  let text = body;
  let json = false;
  if (looksJson(body, mime)) {
    try {
      // JSON.stringify escapes every control character in strings, so the pretty form is plain text.
      text = JSON.stringify(JSON.parse(body), null, 2);
      json = true;
    } catch {
      // A capped excerpt is often cut mid-JSON: show it as it is.
    }
  }
  const lines: string[] = [];
  let start = 0;
  while (start <= text.length && lines.length < maxLines) {
    const nl = text.indexOf('\n', start);
    // CRLF is a line ending; a bare CR elsewhere stays and shows as ^M.
    const end = nl === -1 ? text.length : nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
    lines.push(text.slice(start, end));
    if (nl === -1) return { lines, json, cut: false };
    start = nl + 1;
  }
  return { lines, json, cut: start < text.length };
}
