// PHP's strnatcmp (ext/standard/strnatcmp.c, Martin Pool's natural order), which Magento's
// OAuth verifier sorts the signed parameters with (uksort($params, 'strnatcmp') in
// Laminas\OAuth\Signature\AbstractSignature and
// magento/magento2:lib/internal/Magento/Framework/Oauth/Helper/Signature/Hmac256.php):
// `filters%5B2%5D` sorts before `filters%5B10%5D`, unlike a byte-wise sort.

const isDigit = (code: number | undefined): boolean => code !== undefined && code >= 48 && code <= 57;
const isSpace = (code: number | undefined): boolean => code !== undefined && (code === 32 || (code >= 9 && code <= 13));

export function strnatcmp(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length > b.length ? 1 : -1;
  let ai = 0;
  let bi = 0;
  let leading = true;
  for (;;) {
    // Leading zeros of the whole string are skipped.
    while (leading && a.charCodeAt(ai) === 48 && ai + 1 < a.length && isDigit(a.charCodeAt(ai + 1))) ai++;
    while (leading && b.charCodeAt(bi) === 48 && bi + 1 < b.length && isDigit(b.charCodeAt(bi + 1))) bi++;
    leading = false;
    while (isSpace(a.charCodeAt(ai))) ai++;
    while (isSpace(b.charCodeAt(bi))) bi++;
    let ca = a.charCodeAt(ai);
    let cb = b.charCodeAt(bi);
    if (isDigit(ca) && isDigit(cb)) {
      // A run starting with 0 compares as a fraction (left-aligned), any other by magnitude.
      const run = ca === 48 || cb === 48 ? compareLeft(a, ai, b, bi) : compareRight(a, ai, b, bi);
      if (run.result !== 0) return run.result;
      ai = run.ai;
      bi = run.bi;
      if (ai >= a.length && bi >= b.length) return 0;
      if (ai >= a.length) return -1;
      if (bi >= b.length) return 1;
      ca = a.charCodeAt(ai);
      cb = b.charCodeAt(bi);
    }
    if (ca < cb) return -1;
    if (ca > cb) return 1;
    ai++;
    bi++;
    if (ai >= a.length && bi >= b.length) return 0;
    if (ai >= a.length) return -1;
    if (bi >= b.length) return 1;
  }
}

interface RunResult {
  readonly result: number;
  readonly ai: number;
  readonly bi: number;
}

/** The longer run of digits wins; at equal length the first differing digit decides. */
function compareRight(a: string, ai: number, b: string, bi: number): RunResult {
  let bias = 0;
  for (; ; ai++, bi++) {
    const da = isDigit(a.charCodeAt(ai));
    const db = isDigit(b.charCodeAt(bi));
    if (!da && !db) return { result: bias, ai, bi };
    if (!da) return { result: -1, ai, bi };
    if (!db) return { result: 1, ai, bi };
    const ca = a.charCodeAt(ai);
    const cb = b.charCodeAt(bi);
    if (bias === 0 && ca !== cb) bias = ca < cb ? -1 : 1;
  }
}

/** Left-aligned digits: the first difference wins. */
function compareLeft(a: string, ai: number, b: string, bi: number): RunResult {
  for (; ; ai++, bi++) {
    const da = isDigit(a.charCodeAt(ai));
    const db = isDigit(b.charCodeAt(bi));
    if (!da && !db) return { result: 0, ai, bi };
    if (!da) return { result: -1, ai, bi };
    if (!db) return { result: 1, ai, bi };
    const ca = a.charCodeAt(ai);
    const cb = b.charCodeAt(bi);
    if (ca !== cb) return { result: ca < cb ? -1 : 1, ai, bi };
  }
}
