/**
 * Kubernetes resource quantities (`100m`, `1.5Gi`, `1e3`, `512Mi`), read exactly as the API server reads them:
 *
 *     <quantity>     ::= <sign>? <number> <suffix>
 *     <number>       ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *     <suffix>       ::= <binarySI> | <decimalExponent> | <decimalSI>
 *     <binarySI>     ::= Ki | Mi | Gi | Ti | Pi | Ei
 *     <decimalSI>    ::= n | u | m | "" | k | M | G | T | P | E
 *     <decimalExponent> ::= (e | E) <sign>? <digits>
 *
 * (the grammar of k8s.io/apimachinery's resource.Quantity and of the `pattern` CRDs carry for it). Values are kept
 * exact — digits, a power of ten and a power of two — so that `100m` and `0.1` compare equal: never a float.
 */

export interface Quantity {
  /** The text that was parsed. */
  text: string;
  negative: boolean;
  /** All the digits of the number, the decimal point removed, leading zeros stripped ('' for zero). */
  digits: string;
  /** value = digits × 10^pow10 × 2^pow2 (with the sign). */
  pow10: number;
  pow2: number;
}

const DECIMAL_SI: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const QUANTITY = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(.*)$/;

/**
 * Parses a quantity as written in a manifest: a string, or a YAML number (which kubectl sends as a JSON number
 * and the API server reads with the same grammar). Returns undefined when Kubernetes would reject it.
 */
export function parseQuantity(input: string | number): Quantity | undefined {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    text = String(input);
  } else {
    text = input;
  }
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, intPart = '', fracA, fracB, suffix] = m;
  const frac = fracA ?? fracB ?? '';
  let pow10 = -frac.length;
  let pow2 = 0;
  if (suffix in DECIMAL_SI) pow10 += DECIMAL_SI[suffix];
  else if (suffix in BINARY_SI) pow2 = BINARY_SI[suffix];
  else {
    const e = /^[eE]([+-]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    const exp = Number(e[1]);
    // The API server reads the exponent as a 32-bit integer; anything larger is no sensible quantity.
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 2 ** 31 - 1) return undefined;
    pow10 += exp;
  }
  const digits = (intPart + frac).replace(/^0+/, '');
  return { text, negative: sign === '-' && digits !== '', digits, pow10, pow2 };
}

/** Is the text (or number) a quantity Kubernetes accepts? */
export function isQuantity(input: string | number): boolean {
  return parseQuantity(input) !== undefined;
}

/** -1, 0 or 1 as a < b, a = b, a > b; exact for every value the grammar allows. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const sa = a.digits === '' ? 0 : a.negative ? -1 : 1;
  const sb = b.digits === '' ? 0 : b.negative ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const mag = compareMagnitudes(a, b);
  return sa > 0 ? mag : -mag;
}

function compareMagnitudes(a: Quantity, b: Quantity): number {
  // Orders of magnitude first, so that `1e999999` never turns into a huge integer.
  const log = (q: Quantity) => q.digits.length - 1 + q.pow10 + q.pow2 * Math.log10(2);
  const la = log(a);
  const lb = log(b);
  if (Math.abs(la - lb) > 2) return la < lb ? -1 : 1;
  // Close in magnitude: scale both to integers and compare exactly.
  const minPow10 = Math.min(a.pow10, b.pow10);
  const minPow2 = Math.min(a.pow2, b.pow2);
  const scaled = (q: Quantity) => BigInt(q.digits) * 10n ** BigInt(q.pow10 - minPow10) * 2n ** BigInt(q.pow2 - minPow2);
  const x = scaled(a);
  const y = scaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An approximate number (cores, bytes) for messages; comparisons use compareQuantities. */
export function quantityToNumber(q: Quantity): number {
  if (q.digits === '') return 0;
  const v = Number(q.digits) * 10 ** q.pow10 * 2 ** q.pow2;
  return q.negative ? -v : v;
}
