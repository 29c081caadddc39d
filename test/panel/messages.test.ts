/** The side panel's messages: every message type validated both ways, malformed and forged ones refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MessageError,
  parseHostMessage,
  parsePageMessage,
  validateHostMessage,
  validatePageMessage,
  validateRow,
  validateState,
  type PageMessage,
  type PanelState,
} from '../../client/panel/messages';
import { emptyState } from '../../client/panel/model';
import { fixtureState } from './preview';

const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('page → extension messages', () => {
  const valid: PageMessage[] = [
    { type: 'ready' },
    { type: 'run', disruptive: false, only: null },
    { type: 'run', disruptive: true, only: ['SC-007', 'SC-008'] },
    { type: 'cancel' },
    { type: 'context', name: 'opex-loopback' },
    { type: 'spec', file: '/home/dev/task-api/opex.yaml' },
    { type: 'refresh' },
    { type: 'open', id: 'SC-001', link: 0 },
    { type: 'export' },
    { type: 'action', action: 'trust' },
    { type: 'action', action: 'createSpec' },
  ];

  it('accepts each message type as the page sends it', () => {
    for (const m of valid) assert.deepEqual(validatePageMessage(roundTrip(m)), m);
  });

  it('refuses unknown types, missing, extra and mistyped fields', () => {
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /unknown message type/],
      [null, /unknown message type/],
      ['run', /unknown message type/],
      [{ type: 'exec', command: 'rm -rf /' }, /unknown message type "exec"/],
      [{ type: 'toString' }, /unknown message type/],
      [{ type: '__proto__' }, /unknown message type/],
      [{ type: 'run', disruptive: 'yes', only: null }, /message\.disruptive: not a boolean/],
      [{ type: 'run', disruptive: true }, /message\.only: not an array/],
      [{ type: 'run', disruptive: true, only: ['SC-7'] }, /message\.only\[0\]: not a criterion id/],
      [{ type: 'run', disruptive: false, only: null, allowDisruptive: true }, /message\.allowDisruptive: unknown field/],
      [{ type: 'open', id: 'SC-001', link: -1 }, /message\.link: not an integer/],
      [{ type: 'open', id: 'SC-001', link: 1.5 }, /message\.link: not an integer/],
      [{ type: 'open', id: 'SC-001', link: 0, uri: 'file:///etc/passwd' }, /message\.uri: unknown field/],
      [{ type: 'open', id: 'SC-001<script>', link: 0 }, /message\.id: not a criterion id/],
      [{ type: 'context', name: 42 }, /message\.name: not a string/],
      [{ type: 'context', name: 'x'.repeat(254) }, /message\.name: longer than 253 characters/],
      [{ type: 'action', action: 'workbench.action.terminal.new' }, /message\.action: not one of/],
      [JSON.parse('{"type":"cancel","__proto__":{"polluted":true}}'), /message\.__proto__: unknown field/],
    ];
    for (const [m, why] of bad) {
      assert.throws(() => validatePageMessage(m), (e: unknown) => e instanceof MessageError && why.test((e as Error).message), JSON.stringify(m));
      assert.equal(parsePageMessage(m), undefined);
    }
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('returns a copy with only the known fields', () => {
    const input = { type: 'open', id: 'SC-004', link: 2 };
    const out = validatePageMessage(input);
    assert.notEqual(out, input);
    assert.deepEqual(out, input);
  });
});

describe('extension → page messages', () => {
  it('accepts the states the extension sends (empty, untrusted, a finished run)', () => {
    for (const state of [emptyState(true), emptyState(false), fixtureState()]) {
      assert.deepEqual(validateHostMessage(roundTrip({ type: 'state', state })), { type: 'state', state });
    }
    assert.deepEqual(validateHostMessage({ type: 'reveal', id: 'SC-008' }), { type: 'reveal', id: 'SC-008' });
  });

  it('refuses a state with a wrong field anywhere, naming the field', () => {
    const state = fixtureState();
    const broken = (fn: (s: any) => void): unknown => {
      const s = roundTrip(state) as any;
      fn(s);
      return { type: 'state', state: s };
    };
    const cases: Array<[unknown, RegExp]> = [
      [broken((s) => (s.trusted = 'true')), /state\.trusted: not a boolean/],
      [broken((s) => (s.rows[0].status = 'GREEN')), /state\.rows\[0\]\.status: not one of/],
      [broken((s) => (s.rows[7].timeline[2].took = -1)), /state\.rows\[7\]\.timeline\[2\]\.took: not a number/],
      [broken((s) => (s.rows[0].links[0].href = 'javascript:alert(1)')), /state\.rows\[0\]\.links\[0\]\.href: unknown field/],
      [broken((s) => (s.rows[0].durationMs = Number.NaN)), /state\.rows\[0\]\.durationMs: not a number/],
      [broken((s) => (s.summary.pass = 1.5)), /state\.summary\.pass: not an integer/],
      [broken((s) => delete s.canExport), /state\.canExport: not a boolean/],
      [broken((s) => (s.notice = { kind: 'fatal', text: 'x', action: null })), /state\.notice\.kind: not one of/],
      [broken((s) => (s.rows = Array.from({ length: 101 }, () => s.rows[0]))), /state\.rows: more than 100 items/],
      [{ type: 'state' }, /state: not an object/],
      [{ type: 'reveal', id: 'SC-1' }, /message\.id: not a criterion id/],
      [{ type: 'eval', code: '1' }, /unknown message type/],
    ];
    for (const [m, why] of cases) {
      assert.throws(() => validateHostMessage(m), (e: unknown) => e instanceof MessageError && why.test((e as Error).message), why.source);
      assert.equal(parseHostMessage(m), undefined);
    }
  });

  it('validates rows on their own (the fixture run has every status)', () => {
    const state: PanelState = fixtureState();
    assert.deepEqual(state.rows.map((r) => validateRow(r, 'row').status), ['FAIL', 'SKIP', 'ERROR', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'PASS', 'PASS']);
    assert.deepEqual(validateState(roundTrip(state), 'state'), state);
  });
});
