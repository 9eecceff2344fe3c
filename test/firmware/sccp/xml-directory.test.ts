/**
 * The SCCP phone's directory client (firmware/sccp/xml-directory.ts, xml-directory-parse.ts):
 * golden CiscoIPPhoneDirectory answers written from the documented format, then malformed,
 * hostile, oversize and slow answers — each rejected with the URL and what was wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { parseCiscoDirectory } from '../../../firmware/sccp/xml-directory-parse.js';
import { DirectoryError, XmlDirectory, resolveDirectoryUrl, searchUrl, type FetchFn } from '../../../firmware/sccp/xml-directory.js';
import { EMPTY, PLAIN, WITH_PRESENCE } from '../../fixtures/sccp/cisco-directory.js';

const URL_ = 'http://cm.example:8080/directory?name=a&presence=1';
const parse = (xml: string | Uint8Array, charset?: string) => parseCiscoDirectory(typeof xml === 'string' ? new TextEncoder().encode(xml) : xml, URL_, charset);
const rejects = async (xml: string | Uint8Array, msg: RegExp, charset?: string) => {
  await assert.rejects(parse(xml, charset), (e: Error) => {
    assert.ok(e instanceof DirectoryError, `a DirectoryError, got ${e.name}`);
    assert.ok(e.message.startsWith(`directory ${URL_}: `), e.message);
    assert.match(e.message, msg);
    return true;
  });
};

test('golden: a plain Cisco directory — names unescaped, CDATA kept, numbers without separators, presence unknown', async () => {
  assert.deepEqual(await parse(PLAIN), [
    { name: 'Archer, Alice', number: '500', presence: 'unknown' },
    { name: 'Smith & Sons <Sales>', number: '+15550102000', presence: 'unknown' },
    { name: 'O\'Neil "Dave"', number: '*97', presence: 'unknown' },
  ]);
});

test('golden: the Presence extension; a presence word this phone does not know reads as unknown', async () => {
  assert.deepEqual((await parse(WITH_PRESENCE)).map((e) => `${e.number}:${e.presence}`), ['500:talking', '501:idle', '502:unknown', '503:unknown']);
  assert.deepEqual(await parse(EMPTY), []);
  assert.deepEqual(await parse('<CiscoIPPhoneDirectory><Title>T</Title></CiscoIPPhoneDirectory>'), []);
});

test('golden: character references, ISO-8859-1 by declaration or Content-Type, a missing Name shows the number', async () => {
  assert.equal((await parse('<CiscoIPPhoneDirectory><DirectoryEntry><Name>J&#252;rgen &#x263A;</Name><Telephone>1</Telephone></DirectoryEntry></CiscoIPPhoneDirectory>'))[0]!.name, 'Jürgen ☺');
  const latin = Uint8Array.from([...Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><CiscoIPPhoneDirectory><DirectoryEntry><Name>M'), 0xfc, ...Buffer.from('ller</Name><Telephone>2</Telephone></DirectoryEntry></CiscoIPPhoneDirectory>')]);
  assert.equal((await parse(latin))[0]!.name, 'Müller');
  assert.equal((await parse(latin.subarray(latin.indexOf(0x3e) + 1), 'iso-8859-1'))[0]!.name, 'Müller');
  assert.deepEqual(await parse('<CiscoIPPhoneDirectory><DirectoryEntry><Telephone>7</Telephone></DirectoryEntry></CiscoIPPhoneDirectory>'), [{ name: '7', number: '7', presence: 'unknown' }]);
});

test('at most 32 entries are kept (the format\'s limit)', async () => {
  const xml = `<CiscoIPPhoneDirectory>${Array.from({ length: 40 }, (_, i) => `<DirectoryEntry><Name>P${i}</Name><Telephone>${100 + i}</Telephone></DirectoryEntry>`).join('')}</CiscoIPPhoneDirectory>`;
  const r = await parse(xml);
  assert.equal(r.length, 32);
  assert.equal(r[31]!.number, '131');
});

test('malformed answers are rejected, naming the URL and the fault', async () => {
  const e = (body: string) => `<CiscoIPPhoneDirectory><DirectoryEntry>${body}</DirectoryEntry></CiscoIPPhoneDirectory>`;
  await rejects('<CiscoIPPhoneDirectory><DirectoryEntry>', /not well-formed XML/);
  await rejects('', /no root element|not well-formed/);
  await rejects('<html><body>Login</body></html>', /root element <html>, expected <CiscoIPPhoneDirectory>/);
  await rejects('<CiscoIPPhoneDirectory/><CiscoIPPhoneDirectory/>', /more than one root element|not well-formed/);
  await rejects('<CiscoIPPhoneMenu><Title>x</Title></CiscoIPPhoneMenu>', /root element <CiscoIPPhoneMenu>/);
  await rejects(e('<Name>Bob</Name>'), /DirectoryEntry 1 \(Bob\): no Telephone/);
  await rejects(e('<Name>Bob</Name><Telephone>sip:bob@example.com</Telephone>'), /Telephone "sip:bob@example.com" is not a number to dial/);
  await rejects(e('<Name>Bob</Name><Telephone>1</Telephone><Telephone>2</Telephone>'), /2 <Telephone> elements, expected one/);
  await rejects(e('<Name><b>Bob</b></Name><Telephone>1</Telephone>'), /<Name> holds elements/);
  await rejects(e(`<Name>${'x'.repeat(65)}</Name><Telephone>1</Telephone>`), /Name of 65 characters, at most 64/);
  await rejects(e(`<Name>x</Name><Telephone>${'1'.repeat(33)}</Telephone>`), /not a number to dial/);
  await rejects(e('<Name>a&nbsp;b</Name><Telephone>1</Telephone>'), /unknown entity &nbsp;/);
  await rejects(e('<Name>a&#0;b</Name><Telephone>1</Telephone>'), /&#0; is not a character/);
  await rejects(e('<Name>a&#xD800;b</Name><Telephone>1</Telephone>'), /is not a character/);
  await rejects(e('<Name>a&#1;b</Name><Telephone>1</Telephone>'), /control characters/);
  await rejects(e('<Name>x</Name><Telephone>1</Telephone><Presence>on the phone!</Presence>'), /Presence "on the phone!" is not a presence word/);
  await rejects('<CiscoIPPhoneDirectory/><?pi', /not well-formed XML: Pi Tag is not closed/, undefined);
  await rejects(Uint8Array.from([0x3c, 0x43, 0xff, 0x3e]), /not valid UTF-8/);
  await rejects('<CiscoIPPhoneDirectory/>', /charset "shift_jis"/, 'shift_jis');
});

test('DTDs and entities are refused before parsing (no billion laughs, no external entities)', async () => {
  await rejects('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><CiscoIPPhoneDirectory><Title>&lol2;</Title></CiscoIPPhoneDirectory>', /DTD or entity declaration/);
  await rejects('<!DOCTYPE x SYSTEM "file:///etc/passwd"><CiscoIPPhoneDirectory/>', /DTD/);
});

test('URL: {cm} is the registered call manager\'s host (IPv6 in brackets); the URL\'s own query is kept', () => {
  assert.equal(resolveDirectoryUrl('http://{cm}:8080/directory', '10.0.0.2')?.href, 'http://10.0.0.2:8080/directory');
  assert.equal(resolveDirectoryUrl('http://{cm}:8080/directory', '2001:db8::1')?.href, 'http://[2001:db8::1]:8080/directory');
  assert.equal(resolveDirectoryUrl('ftp://{cm}/d', 'h'), undefined);
  assert.equal(resolveDirectoryUrl('not a url', 'h'), undefined);
  const u = searchUrl(resolveDirectoryUrl('http://cm/xmldirectory.jsp?dept=sales', 'h')!, 'Ann & Bo');
  assert.equal(u, 'http://cm/xmldirectory.jsp?dept=sales&name=Ann+%26+Bo&presence=1');
});

/** A fetch that answers `body` with `init`, or never (`'hang'`), recording the URL asked for. */
function fakeFetch(answer: { status?: number; type?: string | null; body?: BodyInit | null; length?: string } | 'hang' | Error, asked: string[] = []): FetchFn {
  return async (url, init) => {
    asked.push(url);
    if (answer instanceof Error) throw answer;
    if (answer === 'hang') {
      return new Promise((_r, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    const headers = new Headers();
    if (answer.type !== null) headers.set('content-type', answer.type ?? 'text/xml; charset=utf-8');
    if (answer.length) headers.set('content-length', answer.length);
    return new Response(answer.body ?? null, { status: answer.status ?? 200, headers });
  };
}

const dir = (f: FetchFn, clock = new VirtualClock(), extra: { maxBytes?: number; timeoutMs?: number } = {}) =>
  new XmlDirectory({ url: 'http://{cm}:8080/directory', clock, cmHost: () => '10.0.0.2', fetch: f, ...extra });

test('search: asks <url>?name=…&presence=1 at the CM\'s host and returns the entries', async () => {
  const asked: string[] = [];
  const r = await dir(fakeFetch({ body: WITH_PRESENCE }, asked)).search('al');
  assert.deepEqual(asked, ['http://10.0.0.2:8080/directory?name=al&presence=1']);
  assert.equal(r[0]!.presence, 'talking');
  assert.equal((await dir(fakeFetch({ body: new TextEncoder().encode(PLAIN), type: null })).search('')).length, 3, 'no Content-Type: read as XML');
});

test('search: HTTP errors, a wrong Content-Type, a refused connection', async () => {
  const where = /^directory http:\/\/10\.0\.0\.2:8080\/directory\?name=x&presence=1: /;
  await assert.rejects(dir(fakeFetch({ status: 404, body: 'no' })).search('x'), (e: Error) => where.test(e.message) && /HTTP 404/.test(e.message));
  await assert.rejects(dir(fakeFetch({ status: 302 })).search('x'), /HTTP 302/);
  await assert.rejects(dir(fakeFetch({ type: 'text/html', body: '<html/>' })).search('x'), /Content-Type "text\/html", expected text\/xml/);
  const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.2:8080'), { code: 'ECONNREFUSED' }) });
  await assert.rejects(dir(fakeFetch(refused)).search('x'), (e: Error) => where.test(e.message) && /request failed: ECONNREFUSED connect ECONNREFUSED/.test(e.message));
});

test('search: an answer over the size cap is refused by Content-Length and by counting the bytes', async () => {
  await assert.rejects(dir(fakeFetch({ body: 'x', length: '100000' }), undefined, { maxBytes: 1000 }).search('x'), /answer of 100000 bytes, at most 1000/);
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({ pull(c) { pulled++; c.enqueue(new Uint8Array(512).fill(0x20)); } });
  await assert.rejects(dir(fakeFetch({ body: endless }), undefined, { maxBytes: 4096 }).search('x'), /answer over 4096 bytes/);
  assert.ok(pulled < 20, `stopped reading after the cap (${pulled} chunks)`);
});

test('search: no answer within the timeout (on the injected clock) rejects and aborts the request', async () => {
  const clock = new VirtualClock();
  const p = dir(fakeFetch('hang'), clock, { timeoutMs: 3000 }).search('x');
  const seen = p.then(() => 'resolved', (e: Error) => e.message);
  await clock.advance(2999);
  await clock.advance(1);
  assert.match(await seen, /: no answer within 3000 ms$/);
  // A body that stops half way is cut off the same way.
  const stalled = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode('<CiscoIPPhoneDirectory>')); } });
  const q = dir(fakeFetch({ body: stalled }), clock, { timeoutMs: 1000 }).search('x').then(() => 'resolved', (e: Error) => e.message);
  await new Promise((r) => setImmediate(r));
  await clock.advance(1000);
  assert.match(await q, /no answer within 1000 ms/);
});
