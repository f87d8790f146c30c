// The page's own parsers of outside input, loaded as the browser loads them
// (plain scripts, run here in a node:vm context with the little of `window`
// they touch):
//   web/page/scorm.js  expand(): cmi.suspend_data from the LMS -> progress
//   web/page/host.js   the postMessage listener: a host page's message ->
//                      one window.finwave.command(), or a warning
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = (name) => fs.readFileSync(path.join(ROOT, 'web/page', name), 'utf8');

function context(extra) {
  const win = {
    console: { log() {}, warn() {}, error() {} },
    URL, URLSearchParams,
    ...extra,
  };
  win.window = win;
  win.self = win;
  if (!win.parent) win.parent = win;
  return vm.createContext(win);
}

// window.finwaveScorm of a page without an LMS: {compact, expand}.
export function loadScorm() {
  const ctx = context({ location: { search: '' }, document: { addEventListener() {} }, addEventListener() {} });
  vm.runInContext(source('scorm.js'), ctx, { filename: 'web/page/scorm.js' });
  return { scorm: ctx.finwaveScorm, ctx };
}

// A started host.js whose app is ready: send(data, origin) delivers a
// message event and returns the commands the app received and the warnings.
export function loadHost() {
  const frames = [];
  const commands = [];
  const warnings = [];
  const listeners = {};
  const origin = 'https://app.example';
  const ctx = context({
    location: { origin, pathname: '/finwave/', search: '' },
    document: { querySelector: () => null, addEventListener() {}, referrer: '' },
    fetch: () => Promise.resolve({ ok: false }),
    requestAnimationFrame: (f) => frames.push(f),
    addEventListener: (type, f) => { listeners[type] = f; },
    console: { log() {}, error() {}, warn: (...args) => warnings.push(args.join(' ')) },
  });
  ctx.finwave = {
    state: () => ({ ready: true, lang: 'en', lesson: null, sandbox: '', mode: 'lesson', embed: false }),
    command: (text) => {
      if (text === 'host-poll') return '';
      commands.push(text);
      return 'ok';
    },
  };
  vm.runInContext(source('host.js'), ctx, { filename: 'web/page/host.js' });
  ctx.finwaveHost.start();
  frames.splice(0).forEach((f) => f(0));  // the first frame: the app is ready
  if (!ctx.finwaveHost.isReady()) throw new Error('host.js did not see the app as ready');
  return {
    origin,
    send(data, from = origin) {
      commands.length = 0;
      warnings.length = 0;
      listeners.message({ source: {}, origin: from, data });
      return { commands: commands.slice(), warnings: warnings.slice() };
    },
  };
}
