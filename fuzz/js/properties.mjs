// Properties of the page's parsers (page.mjs), for the timed fuzz run
// (fuzz.mjs) and for the fixed regressions (regressions.test.mjs).
import vm from 'node:vm';
import fc from 'fast-check';
import { loadHost, loadScorm } from './page.mjs';

const { scorm, ctx: scormCtx } = loadScorm();
const host = loadHost();

// The commands host.js may send for a message, and nothing else.
const NAME = '[A-Za-z0-9][A-Za-z0-9_-]{0,99}';
const COMMAND = new RegExp(`^(sandbox ${NAME}|lesson ${NAME}( [1-9][0-9]{0,2})?|lang (en|zh))$`);

// suspend_data from an LMS: any text. Never throws; either not ours (null)
// or the app's progress format; and nothing leaks onto Object.prototype.
export function checkSuspendData(text) {
  const out = scorm.expand(text);
  if (out === null) return;
  const doc = JSON.parse(out.progress);
  if (doc.format !== 'finwave-progress' || doc.version !== 1 || typeof doc.lessons !== 'object') {
    throw new Error(`expand() made a progress that is not the app's format: ${out.progress}`);
  }
  if (out.lang !== null && typeof out.lang !== 'string') throw new Error('lang is not text');
  const polluted = vm.runInContext('Object.keys(Object.prototype)', scormCtx);
  if (polluted.length > 0) throw new Error(`expand() wrote onto Object.prototype: ${polluted}`);
}

// A message from an allowed origin: at most one command, of the documented
// forms, and a warning for every message that gives none.
export function checkMessage(data) {
  const { commands, warnings } = host.send(data);
  if (commands.length > 1) throw new Error(`one message gave ${commands.length} commands`);
  if (commands.length === 1 && !COMMAND.test(commands[0])) throw new Error(`undocumented command "${commands[0]}"`);
  if (commands.length === 0 && warnings.length === 0) throw new Error('a message was ignored without a warning');
}

// A message from any other origin never reaches the app.
export function checkForeignMessage(data) {
  const { commands } = host.send(data, 'https://elsewhere.example');
  if (commands.length > 0) throw new Error(`a foreign origin sent "${commands[0]}"`);
}

// Progress the app saved survives the compact form when it fits.
export function checkRoundTrip(lessons, lang) {
  const progress = JSON.stringify({ format: 'finwave-progress', version: 1, lessons });
  const text = scorm.compact(progress, lang, 1 << 20);
  const back = scorm.expand(text);
  if (back === null) throw new Error(`compact() wrote what expand() refuses: ${text}`);
  const got = JSON.parse(back.progress).lessons;
  // Without a prototype, as in expand(): a lesson "__proto__" is a key here too.
  const want = Object.create(null);
  for (const [l, qs] of Object.entries(lessons)) if (Object.keys(qs).length > 0) want[l] = qs;
  if (JSON.stringify(sorted(got)) !== JSON.stringify(sorted(want))) {
    throw new Error(`round trip changed the progress: ${progress} -> ${text} -> ${back.progress}`);
  }
}

function sorted(v) {
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
}

// --- Arbitraries -------------------------------------------------------------------
const id = fc.string({ unit: fc.constantFrom(...'ab-_:;,=|%F1é中\u0000'.split('')), maxLength: 8 });
const pieces = fc.constantFrom('F1', '|', ';', ':', ',', '=', 'F', 'C', 'W', '%', '%E4', '%zz', '__proto__',
  'constructor', 'prototype', '0', '9999999', 'en', 'zh', 'lesson', 'q');
export const suspendText = fc.oneof(
  fc.string(),
  // Any UTF-16 text, lone surrogates too. (fc.string's 'binary' unit takes
  // seconds to build.)
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 }).map((codes) => String.fromCharCode(...codes)),
  fc.array(fc.oneof(pieces, id), { maxLength: 24 }).map((a) => a.join('')),
  fc.array(fc.tuple(id, fc.array(fc.tuple(id, fc.constantFrom('F', 'C', 'W'), fc.nat(99999)), { maxLength: 4 })),
    { maxLength: 4 }).map((ls) => 'F1|en|' + ls.map(([l, qs]) => l + ':' + qs.map(([q, r, n]) => `${q}=${r}${n}`).join(',')).join(';')),
);

const nameish = fc.oneof(fc.string(), fc.constantFrom('half-close', 'four-way-close', 'a', '-a', 'A_b-9', 'x'.repeat(100), 'x'.repeat(101)));
const value = fc.oneof(nameish, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.bigInt(), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
export const message = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.record({
    target: fc.oneof(fc.constant('finwave'), value),
    type: fc.oneof(fc.constantFrom('goto', 'setLang', 'GOTO', 'toString', '__proto__'), value),
    lesson: value, scenario: value, step: fc.oneof(fc.integer({ min: -2, max: 1002 }), value), lang: fc.oneof(fc.constantFrom('en', 'zh', 'fr'), value),
  }, { requiredKeys: ['target', 'type'] }),
);

const record = fc.oneof(
  fc.record({ correct: fc.constant(true), first_try: fc.constant(true), attempts: fc.integer({ min: 1, max: 9999999 }) }),
  fc.record({ correct: fc.constant(true), first_try: fc.constant(false), attempts: fc.integer({ min: 2, max: 9999999 }) }),
  fc.record({ correct: fc.constant(false), first_try: fc.constant(false), attempts: fc.integer({ min: 0, max: 9999999 }) }),
);
export const progressLessons = fc.dictionary(fc.string({ minLength: 1 }), fc.dictionary(fc.string({ minLength: 1 }), record, { maxKeys: 4 }), { maxKeys: 4 });
export const lang = fc.constantFrom('en', 'zh');
