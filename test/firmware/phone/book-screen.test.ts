/** The phone book screen (firmware/phone/book-screen.ts): layouts and keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookKey, renderBook, type BookBrowse } from '../../../firmware/phone/book-screen.js';

const trim = (l: string[]): string[] => l.map((x) => x.trimEnd());
const book = (): BookBrowse => ({ index: 0, entries: [{ name: 'Reception', number: '100' }, { name: 'Helpdesk', number: '555' }, { name: 'Lab', number: '7' }] });

test('20x4, 3 rows and 16x2 layouts; an empty book says so', () => {
  const b = book();
  assert.deepEqual(trim(renderBook(b, { cols: 20, rows: 4, softkeyCount: 4 })), ['Phone book       1/3', 'Reception', '100', 'Dial Next Exit']);
  assert.deepEqual(trim(renderBook(b, { cols: 21, rows: 8, softkeyCount: 4 })).slice(3, 7), ['Helpdesk 555', 'Lab 7', '', '']);
  assert.deepEqual(trim(renderBook(b, { cols: 16, rows: 3, softkeyCount: 4 })), ['Phone book   1/3', 'Reception 100', 'Dia Nxt Ext']);
  assert.deepEqual(trim(renderBook(b, { cols: 16, rows: 2, softkeyCount: 4 })), ['Reception 100', 'Dia Nxt Ext']);
  assert.deepEqual(trim(renderBook({ index: 0, entries: [] }, { cols: 16, rows: 2, softkeyCount: 4 })), ['No entries', 'Dia Nxt Ext']);
  for (const g of [{ cols: 20, rows: 4, softkeyCount: 4 }, { cols: 16, rows: 2, softkeyCount: 0 }]) {
    const out = renderBook(b, g);
    assert.equal(out.length, g.rows);
    assert.ok(out.every((r) => r.length === g.cols));
  }
});

test('Next/up wrap, Dial gives the number, Exit closes, digits pass', () => {
  const b = book();
  assert.equal(bookKey(b, { kind: 'named', name: 'up' }, 4), 'stay');
  assert.equal(b.index, 2);
  assert.equal(bookKey(b, { kind: 'softkey', index: 1 }, 4), 'stay');
  assert.equal(b.index, 0);
  assert.deepEqual(bookKey(b, { kind: 'softkey', index: 0 }, 4), { dial: '100' });
  assert.equal(bookKey(b, { kind: 'softkey', index: 2 }, 4), 'closed');
  assert.equal(bookKey(b, { kind: 'softkey', index: 3 }, 4), 'stay', 'a blank softkey does nothing');
  assert.equal(bookKey(b, { kind: 'digit', key: '5' }, 4), 'pass');
  assert.equal(bookKey({ index: 0, entries: [] }, { kind: 'softkey', index: 0 }, 4), 'stay', 'Dial on an empty book');
});
