import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDurations, formatGoDuration, formatHumanDuration, parseGoDuration, parseHumanDuration } from './duration';

describe('parseGoDuration', () => {
  it('reads Go time.Duration text as Kubernetes and Velero write it', () => {
    assert.equal(parseGoDuration('30m'), 1800);
    assert.equal(parseGoDuration('720h'), 2592000);
    assert.equal(parseGoDuration('720h0m0s'), 2592000);
    assert.equal(parseGoDuration('1h30m'), 5400);
    assert.equal(parseGoDuration('1.5h'), 5400);
    assert.equal(parseGoDuration('120s'), 120);
    assert.equal(parseGoDuration('500ms'), 0.5);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-1m'), -60);
    assert.equal(parseGoDuration(' 2h '), 7200);
  });
  it('rejects what Go rejects', () => {
    for (const bad of ['', '30', '1d', '30 m', 'h', '-', '1h30', '30M', '1e3h', 'abc']) assert.equal(parseGoDuration(bad), undefined, bad);
  });
});

describe('parseHumanDuration', () => {
  it('reads durations in words', () => {
    assert.equal(parseHumanDuration('30 minutes'), 1800);
    assert.equal(parseHumanDuration('24 hours'), 86400);
    assert.equal(parseHumanDuration('720 hours'), 2592000);
    assert.equal(parseHumanDuration('30 days'), 2592000);
    assert.equal(parseHumanDuration('4 hours'), 14400);
    assert.equal(parseHumanDuration('1 hour 30 minutes'), 5400);
    assert.equal(parseHumanDuration('1 hour, 30 minutes'), 5400);
    assert.equal(parseHumanDuration('1 hour and 30 minutes'), 5400);
    assert.equal(parseHumanDuration('a day'), 86400);
    assert.equal(parseHumanDuration('one week'), 604800);
    assert.equal(parseHumanDuration('half an hour'), 1800);
    assert.equal(parseHumanDuration('30-minute'), 1800);
    assert.equal(parseHumanDuration('2 hrs'), 7200);
    assert.equal(parseHumanDuration('15 mins.'), 900);
    assert.equal(parseHumanDuration('30d'), 2592000);
    assert.equal(parseHumanDuration('Thirty Seconds'), 30);
  });
  it('reads Go syntax, also mixed with words', () => {
    assert.equal(parseHumanDuration('30m'), 1800);
    assert.equal(parseHumanDuration('720h'), 2592000);
    assert.equal(parseHumanDuration('1h30m'), 5400);
    assert.equal(parseHumanDuration('1h30m and 10s'), 5410);
    assert.equal(parseHumanDuration('1h 30 minutes'), 5400);
  });
  it('is undefined for what is no duration (a bare number has no unit; months vary in length)', () => {
    for (const bad of ['', '30', 'soon', '24 hours (daily backups acceptable)', 'thirty', '3 months', 'daily', 'minutes']) {
      assert.equal(parseHumanDuration(bad), undefined, bad);
    }
  });
});

describe('findDurations', () => {
  const texts = (s: string) => findDurations(s).map((d) => [d.text, d.seconds]);
  it('finds each duration in a sentence with its position', () => {
    assert.deepEqual(texts('Backups retain for 30 days (720 hours)'), [['30 days', 2592000], ['720 hours', 2592000]]);
    const [d] = findDurations('VPA generates right-sizing recommendations within 24 hours');
    assert.equal(d.start, 50);
    assert.equal(d.end, 58);
    assert.deepEqual(texts('P95 latency stays under 500ms during recovery'), [['500ms', 0.5]]);
    assert.deepEqual(texts('restore took 2 minutes 15 seconds'), [['2 minutes 15 seconds', 135]]);
    assert.deepEqual(texts('within 1 hour and 30 minutes.'), [['1 hour and 30 minutes', 5400]]);
    assert.deepEqual(texts('a 120s timeout'), [['120s', 120]]);
    assert.deepEqual(texts('every 6h'), [['6h', 21600]]);
    assert.deepEqual(texts('within a day'), [['a day', 86400]]);
  });
  it('does not take ids, status codes, percentiles or times of day for durations', () => {
    assert.deepEqual(texts('SC-005: No 5xx errors at P95'), []);
    assert.deepEqual(texts('daily at 2 AM UTC'), []);
    assert.deepEqual(texts('an ad hoc restore'), []);
    assert.deepEqual(texts('v1.30s'), []);
  });
});

describe('formatting', () => {
  it('writes Go durations as Kubernetes users do', () => {
    assert.equal(formatGoDuration(86400), '24h');
    assert.equal(formatGoDuration(2592000), '720h');
    assert.equal(formatGoDuration(5400), '1h30m');
    assert.equal(formatGoDuration(120), '2m');
    assert.equal(formatGoDuration(0.5), '500ms');
    assert.equal(formatGoDuration(1.5), '1.5s');
    assert.equal(formatGoDuration(0), '0s');
    assert.equal(formatGoDuration(-30), '-30s');
    assert.equal(parseGoDuration(formatGoDuration(3723.25)), 3723.25);
  });
  it('writes durations in words for messages, without dropping parts', () => {
    assert.equal(formatHumanDuration(2592000), '30 days');
    assert.equal(formatHumanDuration(5400), '1 hour 30 minutes');
    assert.equal(formatHumanDuration(4), '4 seconds');
    assert.equal(formatHumanDuration(90061), '1 day 1 hour 1 minute 1 second');
    assert.equal(formatHumanDuration(0), '0 seconds');
    assert.equal(formatHumanDuration(0.25), '250 ms');
    assert.notEqual(formatHumanDuration(90000), formatHumanDuration(90060));
  });
  it('round-trips words and Go syntax', () => {
    for (const s of [1, 59, 60, 3600, 5400, 86400, 86399, 2592000, 604800]) {
      assert.equal(parseHumanDuration(formatHumanDuration(s)), s);
      assert.equal(parseGoDuration(formatGoDuration(s)), s);
    }
  });
});
