import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFrequency } from './frequency';

const cron = (text: string) => {
  const f = parseFrequency(text);
  assert.ok(f && f.kind === 'cron', `${text}: ${JSON.stringify(f)}`);
  return { cron: f.cron, tz: f.timezone?.name, phrase: text.slice(f.span.start, f.span.end) };
};
const error = (text: string) => {
  const f = parseFrequency(text);
  assert.ok(f && f.kind === 'error', `${text}: ${JSON.stringify(f)}`);
  return { message: f.message, phrase: text.slice(f.span.start, f.span.end) };
};

describe('parseFrequency', () => {
  it('reads the chapter\'s "daily at 2 AM UTC"', () => {
    assert.deepEqual(cron('Velero Schedule runs daily at 2 AM UTC'), { cron: '0 2 * * *', tz: 'UTC', phrase: 'daily at 2 AM UTC' });
  });
  it('reads intervals as 5-field crons', () => {
    assert.equal(cron('every 6 hours').cron, '0 */6 * * *');
    assert.equal(cron('every six hours').cron, '0 */6 * * *');
    assert.equal(cron('every 6h').cron, '0 */6 * * *');
    assert.equal(cron('hourly').cron, '0 * * * *');
    assert.equal(cron('every hour').cron, '0 * * * *');
    assert.equal(cron('every 15 minutes').cron, '*/15 * * * *');
    assert.equal(cron('twice a day').cron, '0 */12 * * *');
    assert.equal(cron('every 6 hours starting at 1 AM').cron, '0 1,7,13,19 * * *');
    assert.equal(cron('hourly at minute 15').cron, '15 * * * *');
  });
  it('reads times of day in 12- and 24-hour form', () => {
    assert.deepEqual(cron('daily at 02:00 UTC'), { cron: '0 2 * * *', tz: 'UTC', phrase: 'daily at 02:00 UTC' });
    assert.equal(cron('at 2:30 AM').cron, '30 2 * * *');
    assert.equal(cron('every day at 11 pm').cron, '0 23 * * *');
    assert.equal(cron('nightly at 12 a.m.').cron, '0 0 * * *');
    assert.equal(cron('daily at midnight').cron, '0 0 * * *');
    assert.equal(cron('daily at noon').cron, '0 12 * * *');
    assert.equal(cron('at 14:30').cron, '30 14 * * *');
    assert.equal(cron('at 2 AM and 2 PM UTC').cron, '0 2,14 * * *');
  });
  it('reads weekdays', () => {
    assert.deepEqual(cron('weekly on Sunday at 3 AM'), { cron: '0 3 * * 0', tz: undefined, phrase: 'weekly on Sunday at 3 AM' });
    assert.equal(cron('every Saturday at 01:30').cron, '30 1 * * 6');
    assert.equal(cron('weekdays at 2 AM').cron, '0 2 * * 1-5');
    assert.equal(cron('Monday to Friday at 2 AM').cron, '0 2 * * 1-5');
    assert.equal(cron('on Mondays and Thursdays at 4 AM').cron, '0 4 * * 1,4');
    assert.equal(cron('every 2 days at 1 AM').cron, '0 1 */2 * *');
  });
  it('reads time zones after the time', () => {
    assert.equal(cron('daily at 2 AM GMT').tz, 'UTC');
    assert.equal(cron('daily at 2 AM (UTC)').tz, 'UTC');
    assert.equal(cron('daily at 02:00Z').tz, 'UTC');
    assert.equal(cron('daily at 2 AM Europe/Berlin').tz, 'Europe/Berlin');
    assert.equal(cron('daily at 2 AM UTC+2').tz, 'Etc/GMT-2');
    assert.equal(cron('daily at 2 AM UTC-5').tz, 'Etc/GMT+5');
    assert.equal(cron('daily at 2 AM').tz, undefined);
  });
  it('takes a cron written out in backticks or quotes, or after "cron"', () => {
    assert.deepEqual(cron('Velero Schedule runs on `0 2 * * *`'), { cron: '0 2 * * *', tz: undefined, phrase: '0 2 * * *' });
    assert.equal(cron('schedule "0 */4 * * *"').cron, '0 */4 * * *');
    assert.equal(cron('cron 30 1 * * 0 in UTC').cron, '30 1 * * 0');
    assert.deepEqual(cron('runs `0 2 * * *` Europe/Berlin'), { cron: '0 2 * * *', tz: 'Europe/Berlin', phrase: '0 2 * * *` Europe/Berlin' });
    assert.equal(cron('runs `@daily`').cron, '0 0 * * *');
  });
  it('reads a frequency without a time as a bound on the gap between backups', () => {
    assert.deepEqual(parseFrequency('Velero Schedule runs daily'), { kind: 'bound', seconds: 86400, span: { start: 21, end: 26 } });
    assert.equal((parseFrequency('nightly') as { seconds: number }).seconds, 86400);
    assert.equal((parseFrequency('weekly') as { seconds: number }).seconds, 604800);
    const b = parseFrequency('Velero Schedule runs at least every 4 hours (the RPO)');
    assert.equal(b?.kind, 'bound');
    assert.equal((b as { seconds: number }).seconds, 14400);
  });
  it('is undefined when the sentence states no frequency', () => {
    assert.equal(parseFrequency('Velero Schedule meets the RPO'), undefined);
    assert.equal(parseFrequency("Velero's schedule runs at the team's leisure"), undefined);
    assert.equal(parseFrequency('Pre-backup hook runs pg_dump'), undefined);
  });
  it('reports what no single cron can express, with the phrase', () => {
    assert.match(error('every 5 hours').message, /does not divide the day/);
    assert.match(error('every 45 minutes').message, /does not divide the hour/);
    assert.match(error('every Sunday').message, /at what time/);
    assert.match(error('weekly at 3 AM').message, /needs its day/);
    assert.match(error('monthly').message, /backticks/);
    assert.match(error('at 2:00 and 14:30').message, /different minutes/);
    assert.deepEqual(error('daily at 25:00'), { message: '"25:00" is no time of day (00:00 to 23:59).', phrase: '25:00' });
    assert.equal(error('daily at 13 PM').phrase, '13 PM');
    assert.equal(error('daily at 2 AM local time').phrase, 'local time');
    assert.equal(error('daily at 2 AM Mars/Olympus').phrase, 'Mars/Olympus');
    assert.match(error('runs `0 0 2 * * *`').message, /5 fields/);
    assert.match(error('runs `@every 6h`').message, /intervals/);
    assert.match(error('runs `0 2 L * *`').message, /L, W or #/);
    assert.match(error('at least daily at 2 AM').message, /minimum frequency and a fixed time/);
  });
});
