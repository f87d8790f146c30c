// Inputs the fuzzing of the page's parsers (fuzz.mjs) once failed on, kept
// so that they never come back: `node --test fuzz/js/`.
import test from 'node:test';
import * as p from './properties.mjs';

test('suspend_data with a stray "%" in an id is not ours (decodeURIComponent threw)', () => {
  p.checkSuspendData('F1|en|a:%=F0');
  p.checkSuspendData('F1|en|%E4:q=F');
});

test('suspend_data with "__proto__" as an id stays data (it wrote onto Object.prototype)', () => {
  p.checkSuspendData('F1|en|__proto__:x=F');
  p.checkSuspendData('F1|en|a:__proto__=C3');
  p.checkRoundTrip({ __proto__lesson: { q: { correct: true, first_try: true, attempts: 1 } } }, 'en');
  p.checkRoundTrip(JSON.parse('{"__proto__": {" ": {"correct": true, "first_try": true, "attempts": 1}}}'), 'en');
});

test('a message whose type cannot be made text is warned about (String() threw)', () => {
  p.checkMessage({ target: 'finwave', type: { toString: [] } });
  p.checkMessage({ target: 'finwave', type: Object.create(null) });
});

test('documented messages become their commands', () => {
  p.checkMessage({ target: 'finwave', type: 'goto', lesson: 'half-close', step: 3 });
  p.checkMessage({ target: 'finwave', type: 'goto', scenario: 'rst-linger-zero' });
  p.checkMessage({ target: 'finwave', type: 'setLang', lang: 'zh' });
  p.checkForeignMessage({ target: 'finwave', type: 'setLang', lang: 'zh' });
});
