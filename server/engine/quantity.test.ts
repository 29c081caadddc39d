import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareQuantities, isQuantity, parseQuantity, quantityToNumber } from './quantity';

const cmp = (a: string | number, b: string | number) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!);
const num = (s: string | number) => quantityToNumber(parseQuantity(s)!);

describe('parseQuantity', () => {
  it('reads decimal SI suffixes', () => {
    assert.equal(num('100m'), 0.1);
    assert.equal(num('2'), 2);
    assert.equal(num('1k'), 1000);
    assert.equal(num('1M'), 1e6);
    assert.equal(num('1G'), 1e9);
    assert.equal(num('1T'), 1e12);
    assert.equal(num('1P'), 1e15);
    assert.equal(num('1E'), 1e18);
    assert.equal(num('250000u'), 0.25);
    assert.equal(num('5n'), 5e-9);
  });

  it('reads binary SI suffixes', () => {
    assert.equal(num('1Ki'), 1024);
    assert.equal(num('512Mi'), 512 * 2 ** 20);
    assert.equal(num('2Gi'), 2 * 2 ** 30);
    assert.equal(num('1Ti'), 2 ** 40);
    assert.equal(num('1Pi'), 2 ** 50);
    assert.equal(num('1Ei'), 2 ** 60);
    assert.equal(num('1.5Gi'), 1.5 * 2 ** 30);
  });

  it('reads exponents, decimals and signs', () => {
    assert.equal(num('1e3'), 1000);
    assert.equal(num('1E3'), 1000);
    assert.equal(num('12e-3'), 0.012);
    assert.equal(num('1e+2'), 100);
    assert.equal(num('0.5'), 0.5);
    assert.equal(num('.5'), 0.5);
    assert.equal(num('5.'), 5);
    assert.equal(num('+1'), 1);
    assert.equal(num('-1'), -1);
    assert.equal(num('0'), 0);
    assert.equal(num('000'), 0);
  });

  it('reads YAML numbers as kubectl sends them', () => {
    assert.equal(num(2), 2);
    assert.equal(num(0.25), 0.25);
    assert.equal(num(1e21), 1e21);
    assert.equal(num(1073741824), 2 ** 30);
    assert.equal(parseQuantity(Number.NaN), undefined);
    assert.equal(parseQuantity(Number.POSITIVE_INFINITY), undefined);
  });

  it('rejects what the API server rejects', () => {
    for (const bad of ['', ' ', '1 Gi', ' 1', '1gi', '1GB', '1K', '1ki', '1mi', 'Gi', '.', '-', '+', '1e', '1e1.5', '1..5', '1,5', 'one', '100MB', '2cores', '1Gi ', '--1', '1e3m']) {
      assert.equal(isQuantity(bad), false, `${JSON.stringify(bad)} should not parse`);
    }
  });
});

describe('compareQuantities', () => {
  it('compares exactly across notations', () => {
    assert.equal(cmp('100m', '0.1'), 0);
    assert.equal(cmp('1', '1000m'), 0);
    assert.equal(cmp('1Ki', '1024'), 0);
    assert.equal(cmp('1k', '1Ki'), -1);
    assert.equal(cmp('1Gi', '1G'), 1);
    assert.equal(cmp('2000m', '2'), 0);
    assert.equal(cmp('1e3', '1k'), 0);
    assert.equal(cmp('0.1', '0.10000000000000001'), -1);
    assert.equal(cmp('128Mi', '2Gi'), -1);
    assert.equal(cmp('4Gi', '2Gi'), 1);
  });

  it('handles signs, zero and extreme exponents without blowing up', () => {
    assert.equal(cmp('-1', '1'), -1);
    assert.equal(cmp('-2', '-1'), -1);
    assert.equal(cmp('0', '-0'), 0);
    assert.equal(cmp('0', '1n'), -1);
    assert.equal(cmp('1e999999', '1'), 1);
    assert.equal(cmp('1e-999999', '1n'), -1);
    assert.equal(cmp('1e999999', '10e999998'), 0);
  });
});
