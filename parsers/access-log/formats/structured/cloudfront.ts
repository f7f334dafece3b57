/**
 * Amazon CloudFront standard (access) logs: `#Version` and `#Fields` header, then tab-separated
 * values in `#Fields` order (33 columns today; new columns are appended, so the header is the truth).
 * Times are UTC, time-taken is in seconds, status `000` means the viewer went away before a response.
 */
import type { FormatSample, LineParser, LineResult, LogFormat } from '../../format.js';
import type { RequestRecord } from '../../../../src/core/types.js';
import { applyColumns, fieldNames, planColumns, type ColumnPlan } from './w3c-columns.js';
import { directiveValue } from './w3c.js';

const DIRECTIVE: LineResult = { directive: true };

/** Result types that mean CloudFront itself refused or throttled the request. */
const EDGE_REFUSALS = new Set(['LimitExceeded', 'CapacityExceeded']);

/**
 * errorText and extra.lbError from the edge result types. The detailed type names the failure
 * (OriginDnsError, OriginConnectError, ClientCommError…). lbError marks errors CloudFront generated
 * itself: an Origin* detailed type (the origin never answered properly, the edge wrote the 5xx),
 * AbortedOrigin, a Lambda@Edge / CloudFront Functions error, or a LimitExceeded/CapacityExceeded refusal. A plain `Error` is NOT marked: it is
 * also what CloudFront logs when it passes an origin's own 5xx through.
 */
function edgeError(rec: RequestRecord): void {
  const extra = rec.extra;
  if (!extra) return;
  const result = extra['edgeResultType'];
  const detailed = extra['edgeDetailedResultType'];
  const type = typeof detailed === 'string' ? detailed : typeof result === 'string' ? result : null;
  if (type === null) return;
  const isError = result === 'Error' || EDGE_REFUSALS.has(String(result)) || type.endsWith('Error') ||
    type.startsWith('Invalid') || type.startsWith('Client') || type === 'AbortedOrigin';
  if (!isError) return;
  rec.errorText = type;
  const edgeMade = type.startsWith('Origin') || type.startsWith('SlowReaderOrigin') || type === 'AbortedOrigin' ||
    ((type.startsWith('Lambda') || type.startsWith('Function')) && type.endsWith('Error')) ||
    EDGE_REFUSALS.has(type) || EDGE_REFUSALS.has(String(result));
  if (edgeMade) {
    extra['lbError'] = true;
  }
}

function createCloudFrontParser(): LineParser {
  let plan: ColumnPlan | null = null;
  let planProblem: string | null = null;
  return (line: string): LineResult => {
    if (line.charCodeAt(0) === 35) {
      const fields = directiveValue(line, 'fields');
      if (fields !== null) {
        plan = planColumns(fieldNames(fields), 'cloudfront');
        planProblem = !plan.cloudFrontColumns
          ? 'expected CloudFront #Fields (x-edge-* columns)'
          : !plan.hasStatus || !plan.hasTarget
            ? 'no sc-status or cs-uri-stem in #Fields: not an HTTP access log'
            : null;
      }
      return DIRECTIVE;
    }
    if (line.trim() === '') return DIRECTIVE;
    if (plan === null) return { ok: false, reason: 'no #Fields directive before this line' };
    if (planProblem !== null) return { ok: false, reason: planProblem };
    const want = plan.codes.length;
    const values = splitTabs(line, want);
    if (values === null) return { ok: false, reason: `expected ${want} tab-separated fields (per #Fields), got more` };
    if (values.length !== want) return { ok: false, reason: `expected ${want} tab-separated fields (per #Fields), got ${values.length}` };
    const rec = applyColumns(plan, values, null, 'cloudfront', null);
    if (typeof rec === 'string') return { ok: false, reason: rec };
    edgeError(rec);
    return { ok: true, record: rec };
  };
}

/** `line.split('\t')` that gives up (null) past `max` fields instead of allocating them all. */
function splitTabs(line: string, max: number): string[] | null {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const tab = line.indexOf('\t', start);
    if (out.length === max) return null;
    if (tab < 0) {
      out.push(line.slice(start));
      return out;
    }
    out.push(line.slice(start, tab));
    start = tab + 1;
  }
}

type Sample = FormatSample & { directive?: true };

const T = '\t';
const UA78 = 'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36';

/** From elastic-integrations__test-cloudfront.log, fed in order to one parser. */
const samples: Sample[] = [
  { line: '#Version: 1.0', expect: {}, directive: true },
  {
    line: '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end',
    expect: {}, directive: true,
  },
  {
    line: ['2019-12-04', '21:02:31', 'LAX1', '392', '89.160.20.112', 'GET', 'd111111abcdef8.cloudfront.net', '/index.html', '200', '-', UA78, '-', '-', 'Hit', 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==', 'd111111abcdef8.cloudfront.net', 'https', '23', '0.001', '-', 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 'Hit', 'HTTP/2.0', '-', '-', '11040', '0.001', 'Hit', 'text/html', '78', '-', '-'].join(T),
    expect: {
      ts: Date.UTC(2019, 11, 4, 21, 2, 31), method: 'GET', scheme: 'https', host: 'd111111abcdef8.cloudfront.net', path: '/index.html',
      query: null, status: 200, httpVersion: 'HTTP/2.0', durationMs: 1, bytesOut: 392, bytesIn: 23, clientIp: '89.160.20.112',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36',
      requestId: 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==', respMime: 'text/html', errorText: null,
    },
  },
  {
    line: ['2019-12-13', '22:36:27', 'SEA19-C1', '900', '89.160.20.112', 'GET', 'd111111abcdef8.cloudfront.net', '/favicon.ico', '502', 'http://www.example.com/', UA78, '-', '-', 'Error', '1pkpNfBQ39sYMnjjUQjmH2w1wdJnbHYTbag21o_3OfcQgPzdL2RSSQ==', 'www.example.com', 'http', '675', '0.102', '-', '-', '-', 'Error', 'HTTP/1.1', '-', '-', '25260', '0.102', 'OriginDnsError', 'text/html', '507', '-', '-'].join(T),
    expect: {
      status: 502, host: 'www.example.com', scheme: 'http', durationMs: 102, referer: 'http://www.example.com/', errorText: 'OriginDnsError',
      extra: { lbError: true, edgeResultType: 'Error', edgeDetailedResultType: 'OriginDnsError', distribution: 'd111111abcdef8.cloudfront.net', edgeLocation: 'SEA19-C1' },
    },
  },
  {
    line: ['2022-04-19', '12:29:36', 'SEA19-C2', '10157', '81.2.69.143', 'POST', 'd111111abcdef8.cloudfront.net', '/getApplications', '000', 'https://test.com/global', 'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/100.0.4896.127%20Safari/537.36', 'source=global', '-', 'Miss', 'hrsHM5OM6sTIXUleC1G20YtDxMf5Cq0Jbz0pwhVpod2kgEn_W6akCQ==', 'test.com', 'https', '1057', '0.238', '-', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'Miss', 'HTTP/2.0', '-', '-', '4203', '0.238', 'Miss', 'application/json;charset=UTF-8', '-', '-', '-'].join(T),
    expect: { status: 0, method: 'POST', path: '/getApplications', query: 'source=global', durationMs: 238, errorText: null },
  },
  {
    line: ['2022-11-15', '08:43:04', 'SEA19-C2', '10157', '81.2.69.143', 'GET', 'd111111abcdef8.cloudfront.net', '/getApplications', '200', 'https://test.com/global', 'Mozilla/5.0%20(X11;%20Linux%20x86_64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20HeadlessChrome/100.0.4896.88%20Safari/537.36', '-', '-', 'Miss', 'hrsHM5OM6sTIXUleC1G20YtDxMf5Cq0Jbz0pwhVpod2kgEn_W6akCQ==', 'test.com', 'https', '1057', '0.093', '81.2.69.142, 216.160.83.56', 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 'Miss', 'HTTP/1.1', '-', '-', '33359', '0.093', 'Miss', 'application/javascript', '-', '-', '-'].join(T),
    expect: { status: 200, durationMs: 93, extra: { xForwardedFor: '81.2.69.142, 216.160.83.56', clientPort: 33359, ttfbMs: 93 } },
  },
];

export const cloudfrontFormat: LogFormat = {
  id: 'cloudfront',
  title: 'Amazon CloudFront standard log',
  create: createCloudFrontParser,
  samples,
};
