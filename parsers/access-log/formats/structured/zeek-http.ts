/**
 * Zeek (formerly Bro) http.log in its default TSV form: `#separator \x09`, `#set_separator`,
 * `#empty_field`, `#unset_field`, `#path`, `#fields`, `#types`, `#open`/`#close` headers, then one
 * HTTP transaction per line. Zeek sees cleartext HTTP on the wire, so there is no duration; `ts` is
 * when the request started (epoch seconds).
 */
import { emptyRecord, type RequestRecord } from '../../../../src/core/types.js';
import type { FormatSample, LineParser, LineResult, LogFormat } from '../../format.js';
import { parseAnyTime } from './time.js';
import { capExtra, numOf, splitWireTarget, statusOf } from './values.js';

const DIRECTIVE: LineResult = { directive: true };

const Z = {
  other: 0, ts: 1, uid: 2, origH: 3, respH: 4, respP: 5, method: 6, host: 7, uri: 8, referrer: 9, version: 10,
  userAgent: 11, reqLen: 12, respLen: 13, status: 14, statusMsg: 15, username: 16, password: 17,
  respMime: 18, transDepth: 19, tags: 20, proxied: 21, infoCode: 22,
} as const;

const CODES: Record<string, number> = {
  ts: Z.ts, uid: Z.uid, 'id.orig_h': Z.origH, 'id.resp_h': Z.respH, 'id.resp_p': Z.respP, method: Z.method,
  host: Z.host, uri: Z.uri, referrer: Z.referrer, version: Z.version, user_agent: Z.userAgent,
  request_body_len: Z.reqLen, response_body_len: Z.respLen, status_code: Z.status, status_msg: Z.statusMsg,
  username: Z.username, password: Z.password, resp_mime_types: Z.respMime, trans_depth: Z.transDepth,
  tags: Z.tags, proxied: Z.proxied, info_code: Z.infoCode,
};

/** `\x09` → a tab: Zeek writes the separator escaped in the `#separator` line. */
function unescapeSeparator(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && i + 3 < s.length && isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else out += s[i];
  }
  return out;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

interface ZeekState {
  sep: string;
  setSep: string;
  empty: string;
  unset: string;
  path: string | null;
  codes: Uint8Array | null;
  names: string[];
  problem: string | null;
}

function onDirective(st: ZeekState, line: string): void {
  if (line.startsWith('#separator ')) {
    const sep = unescapeSeparator(line.slice('#separator '.length));
    if (sep.length > 0) st.sep = sep;
    return;
  }
  const cut = line.indexOf(st.sep);
  if (cut < 0) return;
  const key = line.slice(1, cut);
  const value = line.slice(cut + st.sep.length);
  switch (key) {
    case 'set_separator': st.setSep = value; break;
    case 'empty_field': st.empty = value; break;
    case 'unset_field': st.unset = value; break;
    case 'path': st.path = value; break;
    case 'fields': {
      st.names = value.split(st.sep);
      st.codes = new Uint8Array(st.names.length);
      let status = false;
      let target = false;
      for (let i = 0; i < st.names.length; i++) {
        const code = CODES[st.names[i]!] ?? Z.other;
        st.codes[i] = code;
        if (code === Z.status) status = true;
        if (code === Z.uri) target = true;
      }
      st.problem = !status || !target ? 'no status_code or uri in the zeek #fields: not an http.log' : null;
      break;
    }
    default: break;
  }
}

function buildRecord(st: ZeekState, values: string[]): RequestRecord | string {
  const codes = st.codes!;
  const rec = emptyRecord();
  const extra: Record<string, string | number | boolean | null> = {};
  rec.scheme = 'http';
  let respP: string | null = null;
  for (let i = 0; i < codes.length; i++) {
    const v = values[i]!;
    if (v === st.unset || v === st.empty || v === '') continue;
    switch (codes[i]) {
      case Z.ts:
        rec.ts = parseAnyTime(v);
        if (rec.ts === null) return 'ts is not an epoch time';
        break;
      case Z.uid: extra['uid'] = capExtra(v); break;
      case Z.origH: rec.clientIp = v; break;
      case Z.respH: extra['serverIp'] = capExtra(v); break;
      case Z.respP: respP = v; break;
      case Z.method: rec.method = v; break;
      case Z.host: rec.host = v; break;
      case Z.uri: {
        const t = splitWireTarget(v);
        rec.path = t.path;
        rec.query = t.query;
        if (t.host !== null && rec.host === null) rec.host = t.host;
        break;
      }
      case Z.referrer: rec.referer = v; break;
      case Z.version: rec.httpVersion = v.startsWith('HTTP/') ? v : 'HTTP/' + v; break;
      case Z.userAgent: rec.userAgent = v; break;
      case Z.reqLen: rec.bytesIn = numOf(v); break;
      case Z.respLen: rec.bytesOut = numOf(v); break;
      case Z.status: {
        const s = statusOf(v);
        if (Number.isNaN(s)) return 'status_code is not an HTTP status';
        rec.status = s;
        break;
      }
      case Z.statusMsg: extra['statusMsg'] = capExtra(v); break;
      case Z.username: extra['user'] = capExtra(v); break;
      case Z.password: extra['passwordLogged'] = true; break; // never keep the value
      case Z.respMime: {
        const cut = v.indexOf(st.setSep);
        rec.respMime = cut > 0 ? v.slice(0, cut) : v;
        break;
      }
      case Z.transDepth: extra['transDepth'] = numOf(v); break;
      case Z.tags: extra['tags'] = capExtra(v); break;
      case Z.proxied: extra['proxied'] = capExtra(v); break;
      case Z.infoCode: extra['infoCode'] = numOf(v); break;
      default: break;
    }
  }
  if (respP !== null) extra['serverPort'] = numOf(respP) ?? capExtra(respP);
  // A request Zeek saw without any reply (connection closed or timed out): no response, status 0.
  if (rec.status === null && rec.method !== null) {
    rec.status = 0;
    extra['noResponse'] = true;
  }
  for (const _ in extra) { rec.extra = extra; break; }
  return rec;
}

function createZeekParser(): LineParser {
  const st: ZeekState = { sep: '\t', setSep: ',', empty: '(empty)', unset: '-', path: null, codes: null, names: [], problem: null };
  return (line: string): LineResult => {
    if (line.charCodeAt(0) === 35) {
      onDirective(st, line);
      return DIRECTIVE;
    }
    if (line.trim() === '') return DIRECTIVE;
    if (st.codes === null) return { ok: false, reason: 'no zeek #fields header before this line' };
    if (st.path !== null && st.path !== 'http') return { ok: false, reason: 'zeek log of another kind (#path is not http)' };
    if (st.problem !== null) return { ok: false, reason: st.problem };
    const want = st.codes.length;
    const values: string[] = [];
    let start = 0;
    for (;;) {
      const cut = line.indexOf(st.sep, start);
      if (values.length === want) return { ok: false, reason: `expected ${want} fields (per #fields), got more` };
      if (cut < 0) { values.push(line.slice(start)); break; }
      values.push(line.slice(start, cut));
      start = cut + st.sep.length;
    }
    if (values.length !== want) return { ok: false, reason: `expected ${want} fields (per #fields), got ${values.length}` };
    const rec = buildRecord(st, values);
    if (typeof rec === 'string') return { ok: false, reason: rec };
    return { ok: true, record: rec };
  };
}

type Sample = FormatSample & { directive?: true };

/** From lnav__logfile_bro_http.log.0, fed in order to one parser. */
const samples: Sample[] = [
  { line: '#separator \\x09', expect: {}, directive: true },
  { line: '#set_separator\t,', expect: {}, directive: true },
  { line: '#empty_field\t(empty)', expect: {}, directive: true },
  { line: '#unset_field\t-', expect: {}, directive: true },
  { line: '#path\thttp', expect: {}, directive: true },
  { line: '#open\t2017-04-16-21-36-10', expect: {}, directive: true },
  { line: '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tversion\tuser_agent\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tinfo_code\tinfo_msg\ttags\tusername\tpassword\tproxied\torig_fuids\torig_filenames\torig_mime_types\tresp_fuids\tresp_filenames\tresp_mime_types', expect: {}, directive: true },
  { line: '#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]', expect: {}, directive: true },
  {
    line: '1320279566.452687\tCwFs1P2UcUdlSxD2La\t192.168.2.76\t52026\t132.235.215.119\t80\t1\tGET\twww.reddit.com\t/\t-\t1.1\tMozilla/5.0 (Macintosh; Intel Mac OS X 10.6; rv:7.0.1) Gecko/20100101 Firefox/7.0.1\t0\t109978\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\tFtw3fJ2JJF3ntMTL2\t-\ttext/html',
    expect: {
      ts: 1320279566453, method: 'GET', scheme: 'http', host: 'www.reddit.com', path: '/', query: null, status: 200, httpVersion: 'HTTP/1.1',
      clientIp: '192.168.2.76', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.6; rv:7.0.1) Gecko/20100101 Firefox/7.0.1',
      referer: null, bytesIn: 0, bytesOut: 109978, respMime: 'text/html', durationMs: null,
      extra: { uid: 'CwFs1P2UcUdlSxD2La', serverIp: '132.235.215.119', serverPort: 80, statusMsg: 'OK', transDepth: 1 },
    },
  },
  {
    line: '1320279673.198815\tCRNn9f1zKNlzHSM5pa\t192.168.2.76\t52112\t199.59.148.201\t80\t1\tGET\tsearch.twitter.com\t/search.json?&q=#BroIDS&rpp=2&callback=jsonp1320279672537\thttp://www.bro-ids.org/research/index.html\t1.1\tMozilla/5.0 (Macintosh; Intel Mac OS X 10.6; rv:7.0.1) Gecko/20100101 Firefox/7.0.1\t0\t-\t-\t-\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-\t-\t-',
    note: 'synthetic variant of a corpus line: the reply was never seen (status_code and response_body_len unset); `#` is literal on the wire',
    expect: { host: 'search.twitter.com', path: '/search.json', query: '&q=#BroIDS&rpp=2&callback=jsonp1320279672537', status: 0, bytesOut: null, extra: { noResponse: true } },
  },
  { line: '#close\t2017-04-16-21-36-10', expect: {}, directive: true },
];

export const zeekHttpFormat: LogFormat = {
  id: 'zeek-http',
  title: 'Zeek (Bro) http.log',
  create: createZeekParser,
  samples,
};
