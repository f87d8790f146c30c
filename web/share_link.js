// Share links: one lesson carried in the URL's fragment, which a browser
// never sends to a server: SITE#share=1.LANG.DATA (scripts/share-link.py
// makes them). 1 is the format; LANG the lesson's language; DATA the lesson
// file's UTF-8 bytes in the zlib format (DEFLATE and an Adler-32 checksum:
// a changed character is found out, not read as another lesson) in
// base64url without padding.
//
// finwaveReadShare(hash) is null when the fragment holds no share link, else
// a promise of { lang, text }, or rejected with an Error whose `code` names
// what is wrong (a notice.share_<code> string, web/main.cpp) and `arg` the
// detail. A wrong link never stops the app: preload_assets.js then loads the
// site's own lessons and the app says why.
//
// Runs inside the module's scope (--pre-js), before preload_assets.js.
var finwaveShareFormat = 1;
var finwaveShareLangs = ['en', 'zh'];
// Limits of what a link may carry (measured and stated in lessons/README.md):
// a larger lesson is better sent as its file, and a small link must not
// unpack into something huge.
var finwaveShareMaxChars = 65536;
var finwaveShareMaxBytes = 262144;

function finwaveShareError(code, arg) {
  var error = new Error(code + (arg ? ': ' + arg : ''));
  error.code = code;
  error.arg = arg === undefined ? '' : String(arg);
  return error;
}

function finwaveShareBytes(data) {
  var bad = /[^A-Za-z0-9_-]/.exec(data);
  if (bad) throw finwaveShareError('damaged', 'character ' + (bad.index + 1));
  if (data.length % 4 === 1) throw finwaveShareError('damaged', 'cut short');
  var binary;
  try {
    binary = atob(data.replace(/-/g, '+').replace(/_/g, '/'));
  } catch (e) {
    throw finwaveShareError('damaged', 'base64url');
  }
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Unpacked chunk by chunk, so that a small link cannot fill the memory.
function finwaveShareInflate(bytes) {
  if (typeof DecompressionStream !== 'function') return Promise.reject(finwaveShareError('unsupported'));
  var stream;
  try {
    stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  } catch (e) {
    return Promise.reject(finwaveShareError('unsupported'));
  }
  var reader = stream.getReader();
  var chunks = [];
  var total = 0;
  function next() {
    return reader.read().then(function (step) {
      if (step.done) return;
      total += step.value.length;
      if (total > finwaveShareMaxBytes) {
        reader.cancel();
        throw finwaveShareError('too_long', finwaveShareMaxBytes);
      }
      chunks.push(step.value);
      return next();
    });
  }
  return next().then(function () {
    var out = new Uint8Array(total);
    var at = 0;
    chunks.forEach(function (chunk) { out.set(chunk, at); at += chunk.length; });
    return out;
  }, function (error) {
    throw error && error.code ? error : finwaveShareError('damaged', 'does not unpack');
  });
}

function finwaveReadShare(hash) {
  var match = /^#share=(.*)$/.exec(hash || '');
  if (!match) return null;
  return Promise.resolve().then(function () {
    var value = match[1];
    var parts = value.split('.');
    if (!/^[0-9]+$/.test(parts[0])) throw finwaveShareError('foreign');
    if (Number(parts[0]) !== finwaveShareFormat) throw finwaveShareError('format', parts[0]);
    if (parts.length !== 3) throw finwaveShareError('damaged', 'parts');
    if (finwaveShareLangs.indexOf(parts[1]) < 0) throw finwaveShareError('lang', parts[1].slice(0, 8));
    if (value.length > finwaveShareMaxChars) throw finwaveShareError('too_long', finwaveShareMaxBytes);
    return finwaveShareInflate(finwaveShareBytes(parts[2])).then(function (bytes) {
      var text;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        throw finwaveShareError('damaged', 'not UTF-8');
      }
      return { lang: parts[1], text: text };
    });
  });
}

// A new share link pasted into the same tab changes only the fragment: the
// page must read it again.
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', function (event) {
    if (/#share=/.test(String(event.newURL))) window.location.reload();
  });
}
