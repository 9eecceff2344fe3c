/**
 * The CM's directory over HTTP (callmanager/directory/server.ts): search, presence, escaping and
 * the format's entry limit, then hostile requests: methods, paths, parameters, sizes, slow clients
 * and the permit/deny list. Every answer is parsed back; the server keeps answering afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Acl } from '../../../callmanager/acl.js';
import type { LineConfig } from '../../../callmanager/config.js';
import { directoryServer, rawHttp, statusOf } from './support.js';

const parser = new XMLParser({ processEntities: true, parseTagValue: false, isArray: (n) => n === 'DirectoryEntry' });

interface Entry { Name: string; Telephone: string; Presence?: string }
async function get(url: string): Promise<{ status: number; type: string | null; body: string; entries: Entry[]; doc: Record<string, unknown> }> {
  const r = await fetch(url);
  const body = await r.text();
  const ok = r.status === 200;
  if (ok) assert.equal(XMLValidator.validate(body), true, 'well-formed XML');
  const doc = ok ? (parser.parse(body) as { CiscoIPPhoneDirectory: Record<string, unknown> }).CiscoIPPhoneDirectory : {};
  return { status: r.status, type: r.headers.get('content-type'), body, doc, entries: (doc['DirectoryEntry'] as Entry[] | undefined) ?? [] };
}

test('directory: every line, sorted by name, as a CiscoIPPhoneDirectory in text/xml', async () => {
  const { server, url } = await directoryServer();
  try {
    const r = await get(url);
    assert.equal(r.status, 200);
    assert.match(r.type ?? '', /^text\/xml/);
    assert.match(r.body, /^<\?xml version="1\.0" encoding="UTF-8"\?><CiscoIPPhoneDirectory><Title>Office<\/Title><Prompt>4 of 4<\/Prompt><DirectoryEntry>/);
    assert.deepEqual(r.entries.map((e) => e.Telephone), ['500', '501', '502', '503']);
    assert.equal(r.entries[0]!.Name, 'Alice Archer');
    assert.ok(r.entries.every((e) => e.Presence === undefined), 'no presence unless asked: the plain format for a real Cisco phone');
  } finally { await server.close(); }
});

test('directory: case-insensitive contains on name, label or number; no match is an empty directory', async () => {
  const { server, url } = await directoryServer();
  try {
    assert.deepEqual((await get(`${url}?name=ARCH`)).entries.map((e) => e.Telephone), ['500']);
    assert.deepEqual((await get(`${url}?name=o`)).entries.map((e) => e.Telephone), ['501', '502', '503'], 'bOb, CarOl, dave O\'neil');
    assert.deepEqual((await get(`${url}?name=503`)).entries.map((e) => e.Telephone), ['503']);
    assert.deepEqual((await get(`${url}?name=50`)).entries.length, 4);
    assert.deepEqual((await get(`${url}?name=bob+b`)).entries.map((e) => e.Telephone), ['501'], '+ is a space');
    const none = await get(`${url}?name=zz`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.entries, []);
    assert.equal(none.doc['Prompt'], 'No match for zz');
    assert.deepEqual((await get(`${url}?name=&other=1`)).entries.length, 4, "'' = all; unknown parameters are ignored");
  } finally { await server.close(); }
});

test('directory: presence=1 adds <Presence> from the call core per entry', async () => {
  const { server, url } = await directoryServer({ presence: { 500: 'talking', 501: 'ringing', 502: 'dnd', 503: 'unregistered' } });
  try {
    const r = await get(`${url}?presence=1`);
    assert.deepEqual(r.entries.map((e) => [e.Telephone, e.Presence]), [['500', 'talking'], ['501', 'ringing'], ['502', 'dnd'], ['503', 'unregistered']]);
    assert.match(r.body, /<Telephone>500<\/Telephone><Presence>talking<\/Presence><\/DirectoryEntry>/, 'after Telephone');
    assert.ok((await get(`${url}?presence=0`)).entries.every((e) => e.Presence === undefined));
  } finally { await server.close(); }
});

test('directory: & < > " \' in names are escaped, and the search text is matched unescaped', async () => {
  const { server, url } = await directoryServer();
  try {
    const r = await get(`${url}?name=${encodeURIComponent('& <c')}`);
    assert.match(r.body, /<Name>Carol &amp; &lt;Co&gt;<\/Name>/);
    assert.equal(r.entries[0]!.Name, 'Carol & <Co>');
    assert.match(r.doc['Prompt'] as string, /1 of 1 for & <c/);
    const dave = await get(`${url}?name=neil`);
    assert.equal(dave.entries[0]!.Name, 'Dave "D" O\'Neil');
  } finally { await server.close(); }
});

test('directory: at most 32 entries (the format\'s limit), the Prompt says how many matched; names cut to 32 characters', async () => {
  const lines = Array.from({ length: 40 }, (_, i) => ({ number: String(600 + i), name: `Person ${String(i).padStart(2, '0')} with a rather long name`, maxCalls: 4, busyTrigger: 2 }) as LineConfig);
  const { server, url } = await directoryServer({ lines });
  try {
    const r = await get(url);
    assert.equal(r.entries.length, 32);
    assert.equal(r.doc['Prompt'], '32 of 40');
    assert.ok(r.entries.every((e) => [...e.Name].length <= 32));
  } finally { await server.close(); }
});

test('directory: HEAD answers the headers only; other methods 405 with Allow', async () => {
  const { server, port, url } = await directoryServer();
  try {
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.match(head.headers.get('content-type') ?? '', /text\/xml/);
    assert.equal(await head.text(), '');
    for (const m of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await fetch(url, { method: m, ...(m === 'POST' || m === 'PUT' ? { body: 'x' } : {}) });
      assert.equal(r.status, 405, m);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      assert.match(await r.text(), /answers GET and HEAD/);
    }
    assert.equal(statusOf(await rawHttp(port, 'BREW /directory HTTP/1.1\r\nHost: x\r\n\r\n')), '400', 'not an HTTP method at all');
  } finally { await server.close(); }
});

test('directory: 404 for other paths, 400 with a message for bad parameters', async () => {
  const { server, port, url } = await directoryServer();
  const base = url.replace(/\/directory$/, '');
  try {
    for (const p of ['/', '/directory/', '/Directory', '/directory.xml', '/../etc/passwd']) {
      const r = await fetch(base + p);
      assert.equal(r.status, 404, p);
      assert.match(await r.text(), /the directory is at \/directory/);
    }
    const cases: Array<[string, RegExp]> = [
      ['?presence=yes', /"presence": expected 0 or 1, not "yes"/],
      ['?name=a&name=b', /"name" given twice/],
      ['?name=%E0%A4%A', /bad percent-encoding/],
      ['?name=%FF', /bad percent-encoding/],
      [`?name=${'x'.repeat(65)}`, /65 characters, at most 64/],
      ['?name=a%0Ab', /control characters/],
    ];
    for (const [q, msg] of cases) {
      const r = await fetch(url + q);
      assert.equal(r.status, 400, q);
      assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await r.text(), msg, q);
    }
    assert.equal(statusOf(await rawHttp(port, 'GET http://evil.example/directory HTTP/1.1\r\nHost: x\r\n\r\n')), '400', 'absolute-form target');
    assert.equal((await fetch(url)).status, 200, 'still serving');
  } finally { await server.close(); }
});

test('directory: long URLs 414, big headers 431, garbage 400, and the connection closes each time', async () => {
  const { server, port, url } = await directoryServer();
  try {
    assert.equal(statusOf(await rawHttp(port, `GET /directory?name=${'a'.repeat(2000)} HTTP/1.1\r\nHost: x\r\n\r\n`)), '414');
    assert.equal(statusOf(await rawHttp(port, `GET /directory HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(10_000)}\r\n\r\n`)), '431');
    assert.equal(statusOf(await rawHttp(port, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]))), '400');
    assert.equal(statusOf(await rawHttp(port, 'GET /directory HTTP/1.1\r\n\r\n')), '400', 'HTTP/1.1 without Host');
    assert.equal(statusOf(await rawHttp(port, 'GET /directory HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n')), '400', 'request smuggling shape');
    const two = await rawHttp(port, 'GET /directory HTTP/1.1\r\nHost: x\r\n\r\nGET /directory HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(two.match(/HTTP\/1\.1 200/g)?.length, 1, 'one request per connection');
    assert.match(two, /Connection: close/i);
    assert.equal((await fetch(url)).status, 200);
  } finally { await server.close(); }
});

test('directory: a client that never finishes its headers is answered 408 and dropped', async () => {
  const { server, port, url } = await directoryServer({ limits: { headersTimeoutMs: 100, requestTimeoutMs: 200, idleTimeoutMs: 5000 } });
  try {
    const answer = await rawHttp(port, 'GET /directory HTTP/1.1\r\nHost: x\r\n', { keepOpen: true });
    assert.match(statusOf(answer), /^(408|)$/, 'a timeout answer or a plain close');
    assert.equal((await fetch(url)).status, 200);
  } finally { await server.close(); }
});

test('directory: an idle connection that sends nothing is closed', async () => {
  const { server, port } = await directoryServer({ limits: { idleTimeoutMs: 100 } });
  try {
    assert.equal(await rawHttp(port, '', { keepOpen: true }), '');
  } finally { await server.close(); }
});

test('directory: connections over the per-address cap are closed at once; denied addresses get nothing', async () => {
  const { server, port, url } = await directoryServer({ limits: { maxPerAddress: 1, idleTimeoutMs: 5000 } });
  try {
    const { connect } = await import('node:net');
    const hold = connect(port, '127.0.0.1');
    await new Promise((r) => hold.once('connect', r));
    assert.equal(await rawHttp(port, 'GET /directory HTTP/1.1\r\nHost: x\r\n\r\n'), '', 'second connection from 127.0.0.1 closed unanswered');
    hold.destroy();
    await new Promise((r) => hold.once('close', r));
    await new Promise((r) => setImmediate(r));
    assert.equal((await fetch(url)).status, 200);
  } finally { await server.close(); }
  const denied = await directoryServer({ acl: new Acl({ deny: ['127.0.0.0/8'] }) });
  try {
    assert.equal(await rawHttp(denied.port, 'GET /directory HTTP/1.1\r\nHost: x\r\n\r\n'), '');
  } finally { await denied.server.close(); }
  const permitted = await directoryServer({ acl: new Acl({ deny: ['0.0.0.0/0'], permit: ['127.0.0.1'] }) });
  try {
    assert.equal((await fetch(permitted.url)).status, 200);
  } finally { await permitted.server.close(); }
});
