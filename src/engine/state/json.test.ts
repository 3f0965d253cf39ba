import { describe, expect, it } from 'vitest';
import { copyJson, estimateSizeBytes, utf8ByteLength } from './json';

describe('estimateSizeBytes', () => {
  it('counts the UTF-8 bytes of the JSON text', () => {
    expect(estimateSizeBytes(1)).toBe(1);
    expect(estimateSizeBytes('a')).toBe(3);
    expect(estimateSizeBytes({ a: [1, 2] })).toBe('{"a":[1,2]}'.length);
    expect(estimateSizeBytes('你好')).toBe(2 + 6);
    expect(estimateSizeBytes('😀')).toBe(2 + 4);
    expect(estimateSizeBytes(undefined)).toBe(0);
  });

  it('agrees with TextEncoder, lone surrogates included', () => {
    for (const text of ['', 'abc', 'é', '€', '😀x', '\ud800', 'a\udc00b', '\u07ff\u0800']) {
      expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe('copyJson', () => {
  it('copies arrays, plain objects and Maps deeply and leaves the original untouched', () => {
    const original = { list: [1, { a: 2 }], map: new Map([['k', [3]]]) };
    const copy = copyJson(original);
    expect(copy).toEqual(original);
    copy.list.push(4);
    (copy.list[1] as { a: number }).a = 9;
    copy.map.get('k')!.push(5);
    expect(original).toEqual({ list: [1, { a: 2 }], map: new Map([['k', [3]]]) });
  });

  it('keeps a "__proto__" key as data', () => {
    const original = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const copy = copyJson(original);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
