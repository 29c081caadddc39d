import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cron } from 'croner';
import fc from 'fast-check';
import {
  cronFromRpo,
  describeSchedule,
  formatInZone,
  longestGap,
  nextRuns,
  parseVeleroCron,
  sameRuns,
  type VeleroSchedule,
} from './cron';

const HOUR = 3600;
const DAY = 86400;
const FROM = new Date('2025-01-01T00:00:00Z');

function parse(text: string): VeleroSchedule {
  const r = parseVeleroCron(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.schedule;
}

function gap(...texts: string[]): number {
  return longestGap(texts.map(parse), { from: FROM }).seconds;
}

function error(text: string): string {
  const r = parseVeleroCron(text);
  assert.equal(r.ok, false, `${text} should not parse`);
  return (r as { error: string }).error;
}

describe('parseVeleroCron: what Velero (robfig/cron v3 ParseStandard) accepts', () => {
  it('reads five fields, names and steps', () => {
    const s = parse('0 */6 * * MON-FRI');
    assert.equal(s.kind, 'cron');
    if (s.kind !== 'cron') return;
    assert.deepEqual(s.minutes, [0]);
    assert.deepEqual(s.hours, [0, 6, 12, 18]);
    assert.deepEqual(s.weekdays, [false, true, true, true, true, true, false]);
    assert.equal(s.timezone, 'UTC');
    assert.equal(s.explicitTimezone, false);
  });

  it('expands every descriptor', () => {
    const expect: Record<string, string> = {
      '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
      '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
    };
    for (const [d, cron] of Object.entries(expect)) {
      const s = parse(d);
      assert.ok(s.kind === 'cron' && s.descriptor === d, d);
      assert.ok(sameRuns(s, parse(cron), { from: FROM }), `${d} = ${cron}`);
    }
  });

  it('reads @every with a Go duration, rounding below a second up as robfig does', () => {
    assert.deepEqual(pick(parse('@every 6h')), { kind: 'every', seconds: 6 * HOUR });
    assert.deepEqual(pick(parse('@every 1h30m')), { kind: 'every', seconds: 5400 });
    assert.deepEqual(pick(parse('@every 500ms')), { kind: 'every', seconds: 1 });
    assert.match(error('@every 1d'), /not a Go duration.*24h/);
    assert.match(error('@every'), /unrecognized descriptor/);
    assert.match(error('@every  6h'), /not a Go duration/);
  });

  it('reads CRON_TZ= and TZ= prefixes and checks the zone', () => {
    const s = parse('CRON_TZ=Europe/Berlin 0 2 * * *');
    assert.equal(s.timezone, 'Europe/Berlin');
    assert.equal(s.explicitTimezone, true);
    assert.equal(parse('TZ=America/New_York @daily').timezone, 'America/New_York');
    assert.equal(parse('CRON_TZ=Etc/UTC 0 2 * * *').timezone, 'UTC');
    assert.match(error('CRON_TZ=Mars/Olympus 0 2 * * *'), /unknown time zone "Mars\/Olympus"/);
    assert.match(error('CRON_TZ=europe/berlin 0 2 * * *'), /case-sensitive, write "Europe\/Berlin"/);
    assert.match(error('CRON_TZ=UTC'), /names a time zone but no schedule/);
  });

  it('rejects what Velero rejects, with a message that says why', () => {
    assert.match(error(''), /empty/);
    assert.match(error('garbage'), /expected exactly 5 fields, found 1/);
    assert.match(error('0 2 * * * *'), /found 6: .*no seconds/);
    assert.match(error('0 2 * *'), /found 4/);
    assert.match(error('0 0 * * 7'), /day-of-week 7 is above the maximum 6.*Sunday as 0/);
    assert.match(error('0 24 * * *'), /hour 24 is above the maximum 23/);
    assert.match(error('60 0 * * *'), /minute 60 is above the maximum 59/);
    assert.match(error('0 0 0 * *'), /day-of-month 0 is below the minimum 1/);
    assert.match(error('0 0 * 13 *'), /month 13 is above the maximum 12/);
    assert.match(error('0 0 L * *'), /no L, W or #/);
    assert.match(error('0 0 * * 5#2'), /no L, W or #/);
    assert.match(error('0 0 15W * *'), /no L, W or #/);
    assert.match(error('0 0 * * 6-1'), /runs backwards/);
    assert.match(error('*/0 * * * *'), /positive/);
    assert.match(error('1-2-3 * * * *'), /too many hyphens/);
    assert.match(error('*/2/3 * * * *'), /too many slashes/);
    assert.match(error('-5 * * * *'), /not a valid minute value/);
    assert.match(error('0 0 * * foo'), /"foo" is not a valid day-of-week value/);
    assert.match(error('0 0 * jan-foo *'), /"foo" is not a valid month value/);
    assert.match(error('@daily '), /unrecognized descriptor/);
    assert.match(error('@DAILY'), /write it exactly as "@daily"/);
    assert.match(error(' @daily'), /expected exactly 5 fields/);
  });

  it('accepts what Velero accepts even where croner alone would not', () => {
    // `?` is `*` to robfig (croner would substitute the current time).
    assert.ok(sameRuns(parse('0 2 ? * *'), parse('0 2 * * *'), { from: FROM }));
    // A step wider than the field selects only its start.
    assert.ok(sameRuns(parse('*/100 * * * *'), parse('0 * * * *'), { from: FROM }));
    assert.ok(sameRuns(parse('0 5/45 * * *'), parse('0 5 * * *'), { from: FROM }));
    // Names in any case, leading zeros, lists with empty items.
    assert.ok(sameRuns(parse('00 02 * * mon-FRI'), parse('0 2 * * 1-5'), { from: FROM }));
    assert.ok(sameRuns(parse('0 2,,3 * * *'), parse('0 2,3 * * *'), { from: FROM }));
  });

  it('never throws on garbage, huge ranges or long input', () => {
    for (const t of ['0-59 0-23 1-31 1-12 0-6', '0-100000 * * * *', '99999999999999999999 * * * *', '* * * * * * * *', '\u00a0', 'x'.repeat(5000), 'CRON_TZ= 0 2 * * *', 'TZ=', '@', '0 2 * * 1-5/0']) {
      assert.doesNotThrow(() => parseVeleroCron(t), t);
    }
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (t) => {
      const r = parseVeleroCron(t);
      if (r.ok) longestGap([r.schedule], { from: FROM, years: 2 });
      return true;
    }), { numRuns: 300 });
  });
});

describe('longestGap: the longest time without a backup, over a full cycle', () => {
  it('issue #3: 0 */6 * * * against an RPO of 4h is an error', () => {
    assert.equal(gap('0 */6 * * *'), 6 * HOUR);
    assert.ok(gap('0 */6 * * *') > 4 * HOUR);
  });

  it('issue #3: 0 2 * * * against 24h is fine (the limit is inclusive)', () => {
    assert.equal(gap('0 2 * * *'), 24 * HOUR);
  });

  it('issue #3: 0 0 * * 1-5 against 24h is an error (the weekend)', () => {
    const g = longestGap([parse('0 0 * * 1-5')], { from: FROM });
    assert.equal(g.seconds, 72 * HOUR);
    assert.equal(g.from?.getUTCDay(), 5, 'from a Friday');
    assert.equal(g.to?.getUTCDay(), 1, 'to a Monday');
  });

  it('finds month ends and leap years', () => {
    assert.equal(gap('0 0 31 * *'), 61 * DAY, 'the 31st: from 31 Mar to 31 May, or 31 Jul to 31 Aug…');
    assert.equal(gap('0 0 29 2 *'), 1461 * DAY, 'the 29th of February: four years');
    assert.equal(gap('0 0 30 * *'), 60 * DAY, 'the 30th skips February: 30 Jan to 30 Mar of a leap year');
    assert.equal(gap('@monthly'), 31 * DAY);
    assert.equal(gap('@yearly'), 366 * DAY);
    assert.equal(gap('@weekly'), 7 * DAY);
  });

  it('combines day-of-month and day-of-week as robfig does: OR, unless one starts with *', () => {
    assert.equal(gap('0 0 1 * 1'), 7 * DAY, 'the 1st OR Mondays');
    assert.equal(gap('0 0 */1 * 1'), 7 * DAY, '*/1 keeps the star: every day AND Monday');
    assert.ok(gap('0 0 1-31 * 1') <= DAY, '1-31 has no star: every day OR Monday');
    assert.equal(gap('0 0 13 * 5'), 7 * DAY);
  });

  it('does not enumerate runs: * * * * * over 29 years is fast', () => {
    const t0 = performance.now();
    assert.equal(longestGap([parse('* * * * *')], { from: new Date('2031-01-01') }).seconds, 60);
    assert.ok(performance.now() - t0 < 1500, `took ${performance.now() - t0}ms`);
  });

  it('reports a schedule that never runs', () => {
    const g = longestGap([parse('0 0 30 2 *')], { from: FROM });
    assert.equal(g.never, true);
    assert.equal(g.seconds, Infinity);
    assert.equal(longestGap([parse('0 0 31 4,6,9,11 *')], { from: FROM }).never, true);
  });

  it('judges several schedules together on their merged run times', () => {
    assert.equal(gap('0 0 * * 1-5', '0 0 * * 0,6'), 24 * HOUR);
    assert.equal(gap('0 0 * * 1-5', '0 12 * * 0,6'), 36 * HOUR, 'Fri 00:00 to Sat 12:00');
    assert.equal(gap('0 */6 * * *', '0 3,9,15,21 * * *'), 3 * HOUR);
    assert.equal(gap('0 2 * * *', '0 2 * * *'), 24 * HOUR, 'the same run twice is one run');
    assert.equal(gap('* * * * *', '*/5 * * * *'), 60);
    assert.equal(gap('0 2 * * *', 'CRON_TZ=Asia/Kolkata 0 2 * * *'), 18.5 * HOUR, '02:00 IST is 20:30 UTC');
  });

  it('@every counts its own interval: its phase against other schedules is unknown', () => {
    const g = longestGap([parse('@every 6h')], { from: FROM });
    assert.equal(g.seconds, 6 * HOUR);
    assert.equal(g.phaseUnknown, true);
    assert.equal(gap('0 0 * * 1-5', '@every 24h'), 24 * HOUR);
    assert.equal(gap('0 */4 * * *', '@every 24h'), 4 * HOUR);
  });
});

describe('daylight saving time (CRON_TZ with a zone that changes its clocks)', () => {
  const ny = 'CRON_TZ=America/New_York';

  it('skips a run whose wall time does not exist, as Velero does: a 47h gap once a year', () => {
    const g = longestGap([parse(`${ny} 0 2 * * *`)], { from: FROM });
    assert.equal(g.seconds, 47 * HOUR);
    assert.equal(g.from?.toISOString(), '2025-03-08T07:00:00.000Z');
    assert.equal(g.to?.toISOString(), '2025-03-10T06:00:00.000Z');
    const runs = nextRuns(parse(`${ny} 0 2 * * *`), 3, new Date('2025-03-07T12:00:00Z'));
    assert.deepEqual(runs.map((d) => formatInZone(d, 'America/New_York')), [
      'Sat 2025-03-08 02:00 EST', 'Mon 2025-03-10 02:00 EDT', 'Tue 2025-03-11 02:00 EDT',
    ]);
  });

  it('runs twice in the repeated hour when the clocks go back', () => {
    const runs = nextRuns(parse(`${ny} 30 1 * * *`), 3, new Date('2025-11-01T12:00:00Z'));
    assert.deepEqual(runs.map((d) => d.toISOString()), ['2025-11-02T05:30:00.000Z', '2025-11-02T06:30:00.000Z', '2025-11-03T06:30:00.000Z']);
    assert.equal(gap(`${ny} 30 1 * * *`), 24 * HOUR);
  });

  it('stretches a 6-hourly schedule to 7 hours when the clocks go back', () => {
    const g = longestGap([parse(`${ny} 0 */6 * * *`)], { from: FROM });
    assert.equal(g.seconds, 7 * HOUR);
    assert.equal(g.from?.toISOString(), '2025-11-02T04:00:00.000Z');
    assert.equal(gap('0 */6 * * *'), 6 * HOUR, 'in UTC it stays 6 hours');
  });

  it('keeps an hourly schedule at one hour across both changes', () => {
    assert.equal(gap(`${ny} 0 * * * *`), HOUR);
    assert.equal(gap('CRON_TZ=Europe/Berlin */15 * * * *'), 15 * 60);
  });

  it('counts the 25-hour day of a daily run outside the changed hours', () => {
    assert.equal(gap('CRON_TZ=Europe/Berlin 0 4 * * *'), 25 * HOUR);
  });
});

describe('nextRuns', () => {
  it('lists the next runs after a time, in UTC by default', () => {
    const runs = nextRuns(parse('0 2 * * *'), 3, new Date('2025-06-01T02:00:00Z'));
    assert.deepEqual(runs.map((d) => d.toISOString()), ['2025-06-02T02:00:00.000Z', '2025-06-03T02:00:00.000Z', '2025-06-04T02:00:00.000Z']);
    assert.deepEqual(nextRuns(parse('@every 6h'), 2, new Date('2025-06-01T00:00:00Z')).map((d) => d.toISOString()), ['2025-06-01T06:00:00.000Z', '2025-06-01T12:00:00.000Z']);
    assert.deepEqual(nextRuns(parse('0 0 30 2 *'), 3, FROM), []);
  });

  it('agrees with croner wherever croner and robfig agree (UTC, plain fields)', () => {
    const field = (min: number, max: number, star = true) => fc.oneof(
      ...(star ? [fc.constant('*')] : []),
      fc.integer({ min, max }).map(String),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min: 2, max: Math.max(2, max - min) })).map(([a, s]) => `${a}/${s}`),
      fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(',')),
    );
    fc.assert(fc.property(
      field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6), fc.integer({ min: 0, max: 5 * 365 }),
      (mi, h, dom, mon, dow, offsetDays) => {
        const text = `${mi} ${h} ${dom} ${mon} ${dow}`;
        const from = new Date(Date.UTC(2024, 0, 1) + offsetDays * DAY * 1000 + 1234567);
        const ours = nextRuns(parse(text), 5, from).map((d) => d.toISOString());
        const theirs = new Cron(text, { timezone: 'UTC', paused: true }).nextRuns(5, from).map((d) => d.toISOString());
        assert.deepEqual(ours, theirs, text);
      },
    ), { numRuns: 150 });
  });
});

describe('sameRuns, describeSchedule, cronFromRpo', () => {
  it('compares schedules by their run times', () => {
    assert.ok(sameRuns(parse('0 2 * * *'), parse('0 2 * * 0-6'), { from: FROM }));
    assert.ok(sameRuns(parse('0 2 * * *'), parse('CRON_TZ=UTC 0 2 * * *'), { from: FROM }));
    assert.ok(sameRuns(parse('@daily'), parse('0 0 */1 * *'), { from: FROM }));
    assert.ok(!sameRuns(parse('0 2 * * *'), parse('0 3 * * *'), { from: FROM }));
    assert.ok(!sameRuns(parse('0 2 * * *'), parse('CRON_TZ=Europe/London 0 2 * * *'), { from: FROM }));
    assert.ok(!sameRuns(parse('0 0 * * *'), parse('@every 24h'), { from: FROM }));
    assert.ok(sameRuns(parse('CRON_TZ=Europe/London 0 2 * * *'), parse('CRON_TZ=Europe/London 0 2 * * *'), { from: FROM }));
  });

  it('describes schedules in English with their zone', () => {
    assert.equal(describeSchedule(parse('0 2 * * *')), 'At 02:00 (UTC)');
    assert.equal(describeSchedule(parse('CRON_TZ=Europe/Berlin 0 */6 * * *')), 'On the hour, every 6 hours (Europe/Berlin)');
    assert.equal(describeSchedule(parse('@every 6h')), 'Every 6 hours, counted from the previous backup');
    assert.match(describeSchedule(parse('0 0 1 * 1')), /either day condition suffices/);
  });

  it('derives a schedule from an RPO', () => {
    assert.equal(cronFromRpo(24 * HOUR), '0 2 * * *');
    assert.equal(cronFromRpo(7 * DAY), '0 2 * * *');
    assert.equal(cronFromRpo(6 * HOUR), '0 */6 * * *');
    assert.equal(cronFromRpo(4 * HOUR), '0 */4 * * *');
    assert.equal(cronFromRpo(5 * HOUR), '0 */4 * * *');
    assert.equal(cronFromRpo(HOUR), '0 * * * *');
    assert.equal(cronFromRpo(90 * 60), '0 * * * *');
    assert.equal(cronFromRpo(30 * 60), '*/30 * * * *');
    assert.equal(cronFromRpo(60), '* * * * *');
    assert.equal(cronFromRpo(30), '@every 30s');
  });

  it('the chapter skill\'s "6-hour backup frequency (RPO: 4 hours)" breaks its RPO; cronFromRpo does not', () => {
    assert.ok(gap('0 */6 * * *') > 4 * HOUR);
    assert.ok(gap(cronFromRpo(4 * HOUR)) <= 4 * HOUR);
  });

  it('every derived schedule meets its RPO', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 * DAY }), (rpo) => {
      const g = longestGap([parse(cronFromRpo(rpo))], { from: FROM, years: 5 }).seconds;
      return g <= rpo;
    }), { numRuns: 200 });
  });
});

function pick(s: VeleroSchedule): { kind: string; seconds?: number } {
  return s.kind === 'every' ? { kind: s.kind, seconds: s.seconds } : { kind: s.kind };
}
