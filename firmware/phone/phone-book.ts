/**
 * The local phone book (phone config `phoneBook:`, docs/phone-config.md): names for numbers the
 * call manager sends without one. It sits between the station and the phone application as a
 * StationSignalling that passes everything through and fills the empty (or number-only) names
 * of 'callInfo' events, so the call screen and the call history show the book's name.
 */
import type { SignallingEvent, StationSignalling } from '../station/signalling.js';

export interface PhoneBookEntry { name: string; number: string }

/** The name the book has for `number`, when the call manager's `name` says nothing more. */
function fill(book: ReadonlyMap<string, string>, number: string, name: string): string {
  const n = name.trim();
  if (n !== '' && n !== number.trim()) return name;
  return book.get(number.trim()) ?? name;
}

/** `station` with caller and callee names looked up in `entries` (the same station when the book is empty). */
export function withPhoneBook(station: StationSignalling, entries: readonly PhoneBookEntry[]): StationSignalling {
  if (entries.length === 0) return station;
  const book = new Map(entries.map((e) => [e.number, e.name]));
  const named = (ev: SignallingEvent): SignallingEvent => (ev.type !== 'callInfo' ? ev : {
    ...ev, callingName: fill(book, ev.calling, ev.callingName), calledName: fill(book, ev.called, ev.calledName),
  });
  return {
    get protocol() { return station.protocol; },
    get state() { return station.state; },
    onEvent: (cb) => station.onEvent((ev) => cb(named(ev))),
    ...(station.searchDirectory ? { searchDirectory: (name: string) => station.searchDirectory!(name) } : {}),
    start: () => station.start(),
    stop: () => station.stop(),
    offHook: (line) => station.offHook(line),
    onHook: () => station.onHook(),
    keypad: (key) => station.keypad(key),
    dial: (number) => station.dial(number),
    softkey: (slot) => station.softkey(slot),
    lineButton: (line) => station.lineButton(line),
    speedDial: (index) => station.speedDial(index),
    hookFlash: () => station.hookFlash(),
    headset: (on) => station.headset(on),
    selectCall: (line, callRef) => station.selectCall(line, callRef),
    ...(station.nextSoftkeyPage ? { nextSoftkeyPage: () => station.nextSoftkeyPage!() } : {}),
  };
}
