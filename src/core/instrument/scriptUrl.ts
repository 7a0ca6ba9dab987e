// The URL an instrumented page loads the browser client from. It is written into source files that may be
// committed, so it must never carry a secret: the script asks the bridge for a browser token at run time.
import { LiveVariantsError } from '../errors';

const SAFE_URL = /^[A-Za-z0-9:/._~%!$&()*+,;=@[\]-]+$/;

function invalid(message: string): LiveVariantsError {
  return new LiveVariantsError('invalid_script_url', message, 'scriptUrl');
}

/**
 * Checks a script URL and returns its canonical form: http(s), no credentials, no query or fragment (so no
 * token can ride along), path ending in `/live.js`, and only characters that are safe inside a quoted HTML or
 * JSX attribute.
 */
export function validateScriptUrl(scriptUrl: unknown): string {
  if (typeof scriptUrl !== 'string' || scriptUrl.length === 0 || scriptUrl.length > 2048) {
    throw invalid('The script URL must be a non-empty string of at most 2048 characters.');
  }
  let url: URL;
  try {
    url = new URL(scriptUrl);
  } catch {
    throw invalid(`"${scriptUrl.slice(0, 80)}" is not an absolute URL; use <bridge url>/live.js.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('The script URL must use http or https.');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('The script URL must not carry credentials.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalid(
      'The script URL must not have a query or fragment: the tag holds no token; the script asks the bridge for one.',
    );
  }
  if (!url.pathname.endsWith('/live.js')) {
    throw invalid("The script URL must point at the bridge's /live.js.");
  }
  if (!SAFE_URL.test(url.href)) {
    throw invalid('The script URL contains characters that cannot sit in an HTML attribute.');
  }
  return url.href;
}

/** `<bridge url>/live.js` for a bridge base URL such as `http://127.0.0.1:4317`. */
export function liveScriptUrl(bridgeUrl: string): string {
  let base: URL;
  try {
    base = new URL(bridgeUrl);
  } catch {
    throw new LiveVariantsError(
      'invalid_bridge_url',
      `"${String(bridgeUrl).slice(0, 80)}" is not a URL.`,
      'url',
    );
  }
  return validateScriptUrl(new URL('/live.js', base.origin).href);
}
