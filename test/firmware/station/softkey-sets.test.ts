import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SoftkeySets } from '../../../firmware/station/softkey-sets.js';

type Sel = { line: number; callRef: number; name: string };

function sets() {
  const live = new Set<number>();
  let current = 0;
  const s = new SoftkeySets<Sel>((ref) => live.has(ref), () => current);
  return { s, live, setCurrent: (r: number) => { current = r; } };
}

test('before any selection the CM\'s latest set is shown (a station used without the phone app)', () => {
  const { s, live } = sets();
  assert.equal(s.put({ line: 0, callRef: 0, name: 'onhook' }), true);
  live.add(1);
  assert.equal(s.put({ line: 1, callRef: 1, name: 'ringin' }), true);
  live.add(2);
  assert.equal(s.put({ line: 1, callRef: 2, name: 'ringin-2' }), true);
  assert.equal(s.shown?.name, 'ringin-2');
});

test('with a call selected, another call\'s set is kept and shown when that call is selected', () => {
  const { s, live } = sets();
  live.add(1); live.add(2);
  s.put({ line: 1, callRef: 1, name: 'connected-1' });
  assert.equal(s.select(1, 1), false, 'already shown');
  assert.equal(s.put({ line: 1, callRef: 2, name: 'ringin-2' }), false, 'call 2 is not the selected call');
  assert.equal(s.shown?.name, 'connected-1');
  assert.equal(s.select(1, 2), true);
  assert.equal(s.shown?.name, 'ringin-2');
  assert.equal(s.put({ line: 1, callRef: 1, name: 'hold-1' }), false);
  assert.equal(s.select(1, 1), true);
  assert.equal(s.shown?.name, 'hold-1', 'the newest set for the call');
  assert.equal(s.select(1, 3), false, 'a call without a set leaves the set shown');
});

test('a cleared call\'s sets go; the selected call\'s set shows, else the handset call\'s, else any live, else the default', () => {
  const { s, live, setCurrent } = sets();
  s.put({ line: 0, callRef: 0, name: 'default' });
  live.add(1); live.add(2); live.add(3);
  s.put({ line: 1, callRef: 1, name: 'set-1' });
  s.put({ line: 1, callRef: 2, name: 'set-2' });
  s.put({ line: 1, callRef: 3, name: 'set-3' });
  s.select(1, 3);
  live.delete(3);
  setCurrent(2);
  assert.equal(s.cleared(3), true);
  // selected call 3 is gone: the handset's call (2) is preferred over the older live one (1).
  assert.equal(s.shown?.name, 'set-2');
  assert.equal(s.put({ line: 1, callRef: 1, name: 'set-1b' }), true, 'the selected call is gone: the CM\'s word shows again');
  s.select(1, 1);
  live.delete(2);
  assert.equal(s.cleared(2), false, 'the set shown is not the cleared call\'s');
  live.delete(1);
  setCurrent(0);
  assert.equal(s.cleared(1), true);
  assert.equal(s.shown?.name, 'default');
  s.reset();
  assert.equal(s.shown, undefined);
});
