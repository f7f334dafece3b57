/**
 * R-P1 variants: every JWT shape the rule lists, where it hides (URL-encoded, JSON-escaped), the marker's
 * claim hygiene, and the machine-readable marker the rules engine reads for expired-token detection.
 * All tokens are synthetic, built here.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createRedactor, decodeJwtClaims, findJwtMarkers, parseJwtMarker } from './index.js';

const KEY = Buffer.alloc(32, 0x5a);
const h12 = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex').slice(0, 12);
const seg = (s: string) => Buffer.from(s).toString('base64url');
const json = (o: unknown) => seg(JSON.stringify(o));
const PAYLOAD = { sub: 'user-8812', email: 'ana@example.com', name: 'Ana Pérez', iss: 'https://login.example.com', aud: 'api://orders', iat: 1699990000, exp: 1700000000 };
const SIG = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

const variants: Array<[string, string]> = [
  ['compact JWS (eyJ…)', `${json({ alg: 'HS256', typ: 'JWT' })}.${json(PAYLOAD)}.${SIG}`],
  ['header with newline and indent (ew…)', `${seg('{\n  "alg": "RS256",\n  "kid": "2024-01"\n}')}.${json(PAYLOAD)}.${SIG}`],
  ['header with a space after { (eyA…)', `${seg('{ "alg": "ES256" }')}.${json(PAYLOAD)}.${SIG}`],
  ['header with CRLF (ew0K…)', `${seg('{\r\n"alg":"PS256"}')}.${json(PAYLOAD)}.${SIG}`],
  ['unsigned header.payload.', `${json({ alg: 'none' })}.${json(PAYLOAD)}.`],
  ['detached payload header..signature', `${json({ alg: 'HS256', b64: false, crit: ['b64'] })}..${SIG}`],
  ['JWE, 5 segments', `${json({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' })}.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ`],
  ['JWE with an empty encrypted key (alg=dir)', `${json({ alg: 'dir', enc: 'A128CBC-HS256' })}..AxY8DCtDaGlsbGljb3RoZQ.KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.9hH0vgRfYgPnAHOd8stkvw`],
  ['padded segments (non-standard producers)', `${json({ alg: 'HS384' })}==.${json(PAYLOAD)}=.${SIG}`],
];

describe('R-P1 JWT shapes', () => {
  for (const [name, tok] of variants) {
    test(`${name}: replaced as a whole, in text, header, cookie and query`, () => {
      const r = createRedactor({ key: KEY });
      const text = r.redactText(`token follows: ${tok} (end)`);
      expect(text).toMatch(/^token follows: \[REDACTED:jwt( [a-z]+=[^ \]]+)* #[0-9a-f]{12}\] \(end\)$/);
      expect(findJwtMarkers(text)[0]!.hash).toBe(h12(tok));
      for (const part of tok.split('.')) if (part.length >= 12) expect(text).not.toContain(part);
      const [[, hv]] = r.redactHeaders([['X-Id-Token', tok]]) as [[string, string]];
      expect(parseJwtMarker(hv)).not.toBeNull();
      const [[, cv]] = r.redactHeaders([['Cookie', `id=${tok}; b=1`]]) as [[string, string]];
      expect(cv.startsWith('id=[REDACTED:jwt ')).toBe(true);
      const q = r.redactQuery(`state=${tok}&x=1`);
      expect(decodeURIComponent(q)).toMatch(/^state=\[REDACTED:jwt .* #[0-9a-f]{12}\]&x=1$/);
      expect(r.summary()['R-P1']).toBe(4);
    });
  }

  test('inside URL-encoded and JSON-escaped strings', () => {
    const r = createRedactor({ key: KEY });
    const tok = variants[0]![1];
    const cases = [
      `redirect=https%3A%2F%2Fapp%2Fcb%3Fid_token%3D${tok}%26x%3D1`,
      `q=%22${tok}%22`,
      `{"data":"{\\"jwt\\":\\"${tok}\\"}"}`,
      `"line1\\n${tok}"`,
      `"\\u0022${tok}\\u0022"`,
      `<input value='${tok}'>`,
    ];
    for (const c of cases) {
      const out = r.redactText(c);
      expect(out, c).not.toContain(tok.split('.')[1]!);
      expect(findJwtMarkers(out), c).toHaveLength(1);
    }
  });

  test('not JWTs: prose, hostnames, base64 that is not a JSON header, a lone header', () => {
    const r = createRedactor({ key: KEY });
    const header = json({ alg: 'HS256' });
    const keep = [
      'see example.com and e.g. everything.else', 'eyJ.eyJ.eyJ', `${seg('{"typ":"JWT"}')}.${json(PAYLOAD)}.${SIG}`,
      `${seg('not json at all!!')}.abc.def`, `${header} alone`, `${header}.`, `${header}..`,
    ];
    for (const k of keep) expect(r.redactText(k), k).toBe(k);
    expect(r.summary()).toEqual({});
  });
});

describe('JWT marker', () => {
  test('keeps alg, kid, exp, iat, iss, aud by default; never sub, email or name', () => {
    const r = createRedactor({ key: KEY });
    const tok = `${json({ alg: 'RS256', kid: 'key-2024' })}.${json(PAYLOAD)}.${SIG}`;
    expect(r.redactText(tok)).toBe(`[REDACTED:jwt alg=RS256 kid=key-2024 exp=1700000000 iat=1699990000 iss=https://login.example.com aud=api://orders #${h12(tok)}]`);
  });

  test('claim values are sanitized: no spaces or brackets, capped, e-mail-like values dropped, non-numeric times dropped', () => {
    const r = createRedactor({ key: KEY });
    const tok = `${json({ alg: 'HS256', kid: 'a b]c[d#e=f' })}.${json({ iss: 'ops@example.com', aud: ['web', 'mobile app'], exp: '1700000000', iat: 1699990000.75, nbf: 1 })}.${SIG}`;
    const out = r.redactText(tok);
    expect(out).toBe(`[REDACTED:jwt alg=HS256 kid=a_b_c_d_e_f iat=1699990000 aud=web,mobile_app #${h12(tok)}]`);
    const long = `${json({ alg: 'HS256' })}.${json({ iss: 'x'.repeat(500) })}.${SIG}`;
    expect(parseJwtMarker(r.redactText(long))!.iss).toBe('x'.repeat(64));
  });

  test('keepJwtClaims is an allow-list (e.g. --keep-jwt-claims=exp,nbf,sub)', () => {
    const r = createRedactor({ key: KEY, keepJwtClaims: ['exp', 'nbf', 'sub'] });
    const tok = `${json({ alg: 'HS256' })}.${json({ ...PAYLOAD, nbf: 1699990001 })}.${SIG}`;
    expect(r.redactText(tok)).toBe(`[REDACTED:jwt exp=1700000000 nbf=1699990001 sub=user-8812 #${h12(tok)}]`);
  });

  test('parseJwtMarker reads raw and URL-form markers; rejects anything else', () => {
    expect(parseJwtMarker('[REDACTED:jwt alg=HS256 exp=1700000000 iss=https://a.example #0123456789ab]')).toEqual({ alg: 'HS256', exp: 1700000000, iss: 'https://a.example', hash: '0123456789ab' });
    expect(parseJwtMarker('[REDACTED:jwt%20alg%3DHS256%20exp%3D1700000000%20%230123456789ab]')).toEqual({ alg: 'HS256', exp: 1700000000, hash: '0123456789ab' });
    expect(parseJwtMarker('[REDACTED:jwt #0123456789ab]')).toEqual({ hash: '0123456789ab' });
    for (const bad of ['[REDACTED:R-H1#0123456789ab]', '[REDACTED:jwt alg=HS256 #0123]', '[REDACTED:jwt alg=HS 256 #0123456789ab]', 'x[REDACTED:jwt #0123456789ab]', '[REDACTED:jwt alg=a@b #0123456789ab]']) {
      expect(parseJwtMarker(bad), bad).toBeNull();
    }
  });

  test('findJwtMarkers returns every marker with its position', () => {
    const a = '[REDACTED:jwt alg=HS256 exp=1 #aaaaaaaaaaaa]';
    const b = '[REDACTED:jwt%20exp%3D2%20%23bbbbbbbbbbbb]';
    const text = `x ${a} y [REDACTED:jwt broken ${b} z`;
    const found = findJwtMarkers(text);
    expect(found.map((m) => [m.exp, m.hash, text.slice(m.start, m.end)])).toEqual([[1, 'aaaaaaaaaaaa', a], [2, 'bbbbbbbbbbbb', b]]);
  });

  test('an expired token stays detectable after redaction (engine reads exp from the marker)', () => {
    const r = createRedactor({ key: KEY });
    const expired = `${json({ alg: 'RS256' })}.${json({ exp: 1600000000, iat: 1599990000 })}.${SIG}`;
    const [[, v]] = r.redactHeaders([['Authorization', `Bearer ${expired}`]]) as [[string, string]];
    const [m] = findJwtMarkers(v);
    expect(v.startsWith('Bearer ')).toBe(true);
    expect(m!.exp! * 1000 < Date.UTC(2024, 0, 1)).toBe(true);
    // Same answer as reading the token before redaction.
    expect(decodeJwtClaims(`Bearer ${expired}`)).toEqual({ alg: 'RS256', exp: 1600000000, iat: 1599990000 });
  });
});

describe('decodeJwtClaims', () => {
  test('reads alg/kid/exp/iat/nbf/iss/aud; JWE gives only the header; non-JWTs give null', () => {
    expect(decodeJwtClaims(variants[0]![1])).toEqual({ alg: 'HS256', exp: 1700000000, iat: 1699990000, iss: 'https://login.example.com', aud: 'api://orders' });
    expect(decodeJwtClaims(`  ${variants[1]![1]}  `)).toMatchObject({ alg: 'RS256', kid: '2024-01', exp: 1700000000 });
    expect(decodeJwtClaims(variants[6]![1])).toEqual({ alg: 'RSA-OAEP-256', kid: 'enc-1' });
    expect(decodeJwtClaims(`${json({ alg: 'HS256' })}.${json({ aud: ['a', 'b'] })}.x`)).toEqual({ alg: 'HS256', aud: 'a,b' });
    for (const bad of ['', 'Bearer', 'abc.def.ghi', `${json({ typ: 'JWT' })}.${json(PAYLOAD)}.x`, `${variants[0]![1]} trailing`]) expect(decodeJwtClaims(bad), bad).toBeNull();
  });
});
