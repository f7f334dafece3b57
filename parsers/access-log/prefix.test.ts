import { describe, expect, test } from 'vitest';
import { criPrefixLength, stripCriPrefix, syslogPrefixLength } from './prefix.js';

describe('CRI prefix', () => {
  test('strips the Kubernetes container-log prefix (real line from crowdsec-hub__envoy.log)', () => {
    const line = '2025-12-31T19:00:00.310000000+01:00 stdout F [2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204';
    expect(stripCriPrefix(line)).toBe('[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204');
    expect(criPrefixLength(line)).toBe(45);
  });

  test.each([
    ['2023-10-01T12:00:00Z stderr P 1.2.3.4 - - [x]', '1.2.3.4 - - [x]'],
    ['2023-10-01T12:00:00.123456789Z stdout F {"a":1}', '{"a":1}'],
  ])('%s', (line, rest) => expect(stripCriPrefix(line)).toBe(rest));

  test.each([
    '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1',
    '2019-10-14T12:00:20.694172Z filebeat-aws-elb-test 175.16.199.1:54106 10.0.1.185:80 0.000043',
    '2023-10-01T12:00:00Z stdout X message',
    '2023-10-01T12:00:00Z stdoutF message',
    '2023-10-01 12:00:00 stdout F message',
    '',
  ])('no prefix: %j', (line) => {
    expect(criPrefixLength(line)).toBe(0);
    expect(stripCriPrefix(line)).toBe(line);
  });
});

describe('syslog prefix', () => {
  test.each([
    ['Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655]', '10.0.1.2:33317'],
    ['Mar 10 01:02:03 lb-1.example.com haproxy: 10.0.1.2:1 [x]', '10.0.1.2:1'],
    ['<134>Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [', '10.0.1.2:33317'],
    ['2012-06-12T17:56:11+00:00 localhost haproxy[21732]: 127.0.0.1:40074 [12/Jun', '127.0.0.1:40074'],
    ['<134>1 2024-03-01T12:00:00.123Z lb1 haproxy 2211 - - 10.0.0.9:40112 [01/Mar', '10.0.0.9:40112'],
  ])('%s', (line, next) => {
    const n = syslogPrefixLength(line);
    expect(n).toBeGreaterThan(0);
    expect(line.slice(n).startsWith(next)).toBe(true);
  });

  test('from an offset (after a CRI prefix)', () => {
    const line = '2024-01-01T00:00:00Z stdout F Mar  1 12:00:00 host haproxy[1]: 1.2.3.4:5 [';
    const cri = criPrefixLength(line);
    expect(line.slice(cri + syslogPrefixLength(line, cri))).toBe('1.2.3.4:5 [');
  });

  test.each([
    '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1',
    'Mary had a little lamb: its fleece',
    'Mar  1 12:00:00 host "GET /a: b" 200',
    '2019-10-14T12:00:20.694172Z filebeat-aws-elb-test 175.16.199.1:54106 10.0.1.185:80 0.000043',
    '<134>Feb  6 12:14:14 localhost',
    ': '.repeat(50),
  ])('no prefix: %j', (line) => expect(syslogPrefixLength(line)).toBe(0));
});
