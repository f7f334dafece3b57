import { describe, expect, it } from 'vitest';
import { createRedactor, findJwtMarkers as redactFind } from '../redact/index.js';
import { findJwtMarkers, markerFingerprint } from './markers.js';

/** A syntactically valid unsigned-looking JWT (synthetic claims). */
function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${Buffer.from('sig-bytes-0123456789').toString('base64url')}`;
}

describe('JWT markers', () => {
  it('agree with the redactor on markers the redactor wrote (raw and URL form)', () => {
    const redactor = createRedactor({ key: Buffer.alloc(32, 7) });
    const token = jwt({ sub: 'x', exp: 1714550000, iat: 1714546400, iss: 'https://auth.example.com' });
    const texts = [
      redactor.redactText(`Bearer ${token}`),
      redactor.redactText(`{"access_token": "${token}", "other": "${jwt({ exp: 1 })}"}`),
      '/cb?access_token=[REDACTED:jwt%20alg%3DRS256%20exp%3D1700000000%20%230123456789ab]&x=1',
      '[REDACTED:jwt #0123456789ab]',
      'no marker here [REDACTED:R-H1#0123456789ab]',
    ];
    for (const t of texts) {
      const theirs = redactFind(t).map((m) => ({ alg: m.alg ?? null, exp: m.exp ?? null, iat: m.iat ?? null, iss: m.iss ?? null, hash: m.hash }));
      expect(findJwtMarkers(t), t).toEqual(theirs);
    }
    expect(findJwtMarkers(texts[0]!)[0]!.exp).toBe(1714550000);
  });

  it('fingerprints credential markers', () => {
    expect(markerFingerprint('Basic [REDACTED:R-H1#0f1e2d3c4b5a]')).toBe('#0f1e2d3c4b5a');
    expect(markerFingerprint('Bearer [REDACTED:jwt alg=RS256 exp=1 #aa11bb22cc33]')).toBe('#aa11bb22cc33');
    expect(markerFingerprint('key=[REDACTED:jwt%20exp%3D1%20%23aa11bb22cc33]')).toBe('#aa11bb22cc33');
    expect(markerFingerprint('Bearer abc')).toBeNull();
  });
});
