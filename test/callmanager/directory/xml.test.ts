/** The CiscoIPPhoneDirectory builder and the line search (callmanager/directory/xml.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clip, directoryXml, matchingLines, MAX_ENTRIES, promptFor } from '../../../callmanager/directory/xml.js';
import { LINES } from './support.js';

test('xml: the documented element order; Presence only when given and known; at most 32 entries', () => {
  assert.equal(directoryXml('T', 'P', [{ name: 'A', number: '1' }, { name: 'B', number: '2', presence: 'dnd' }, { name: 'C', number: '3', presence: 'unknown' }]),
    '<?xml version="1.0" encoding="UTF-8"?><CiscoIPPhoneDirectory><Title>T</Title><Prompt>P</Prompt>' +
    '<DirectoryEntry><Name>A</Name><Telephone>1</Telephone></DirectoryEntry>' +
    '<DirectoryEntry><Name>B</Name><Telephone>2</Telephone><Presence>dnd</Presence></DirectoryEntry>' +
    '<DirectoryEntry><Name>C</Name><Telephone>3</Telephone></DirectoryEntry></CiscoIPPhoneDirectory>');
  const many = Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`, number: String(i) }));
  assert.equal(directoryXml('T', 'P', many).match(/<DirectoryEntry>/g)?.length, MAX_ENTRIES);
  assert.match(directoryXml('T', 'P', []), /<Prompt>P<\/Prompt><\/CiscoIPPhoneDirectory>$/);
});

test('xml: text is escaped and cut to 32 characters without splitting a surrogate pair', () => {
  assert.match(directoryXml('a&b', '<p>', [{ name: '"x" & \'y\' <z>', number: '1' }]),
    /<Title>a&amp;b<\/Title><Prompt>&lt;p&gt;<\/Prompt><DirectoryEntry><Name>&quot;x&quot; &amp; &apos;y&apos; &lt;z&gt;<\/Name>/);
  assert.equal(clip('x'.repeat(40)), 'x'.repeat(32));
  const smile = '☺'.repeat(10) + '😀'.repeat(30);
  assert.equal([...clip(smile)].length, 32);
  assert.ok(!/[\ud800-\udbff]$/.test(clip(smile)), 'no lone high surrogate at the end');
});

test('search: contains on name, label or number, ignoring case, sorted by name; the prompt counts', () => {
  assert.deepEqual(matchingLines(LINES, '').map((l) => l.number), ['500', '501', '502', '503']);
  assert.deepEqual(matchingLines(LINES, 'carol').map((l) => l.number), ['502'], 'the label');
  assert.deepEqual(matchingLines(LINES, 'ER').map((l) => l.number), ['500', '501'], 'archER, buildER');
  assert.equal(promptFor(3, 3, ''), '3 of 3');
  assert.equal(promptFor(32, 40, 'a'), '32 of 40 for a');
  assert.equal(promptFor(0, 0, ''), 'No entries');
  assert.equal(promptFor(0, 0, 'x'.repeat(40)).length, 32);
});
