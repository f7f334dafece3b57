import { describe, expect, it } from 'vitest';
import { maskHarExcerpt, OMITTED } from './har-excerpt.js';

describe('maskHarExcerpt (B-8: samples of skipped HAR entries)', () => {
  it('keeps structure, names, methods and URLs; masks every other string value', () => {
    const raw = '{"request":{"method":"GET","headers":[{"name":"X-Api-Key","value":"s3cret"}],"url":42},"response":{"status":500,"comment":"hi"}}';
    expect(maskHarExcerpt(raw)).toBe(
      `{"request":{"method":"GET","headers":[{"name":"X-Api-Key","value":${OMITTED}}],"url":42},"response":{"status":500,"comment":${OMITTED}}}`,
    );
  });

  it('masks header objects by key, arrays of strings, numbers under value, and a string cut by the excerpt cap', () => {
    expect(maskHarExcerpt('{"headers":{"Authorization":"Bearer x"}}')).toBe(`{"headers":{"Authorization":${OMITTED}}}`);
    expect(maskHarExcerpt('{"x":["a","b"],"value":123456}')).toBe(`{"x":[${OMITTED},${OMITTED}],"value":${OMITTED}}`);
    expect(maskHarExcerpt('{"request":{"cookies":[{"value":"abc\\"def","name":"sid"}],"postData":{"text":"password=hunt')).toBe(
      `{"request":{"cookies":[{"value":${OMITTED},"name":"sid"}],"postData":{"text":${OMITTED}`,
    );
  });

  it('leaves non-JSON text (a message) alone and never throws on any string', () => {
    expect(maskHarExcerpt('not json at all')).toBe('not json at all');
    for (const s of ['"', '\\', '{"', '{"a":', ']]]}}}', '{"a":"\\', ':::,,,"x"']) expect(typeof maskHarExcerpt(s)).toBe('string');
  });
});
