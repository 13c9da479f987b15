/** Checksums and plausibility checks that keep pattern false positives down. Inputs are ASCII strings. */

/** Luhn checksum over a digit string (separators already removed). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Card number plausibility: issuer prefix and a length that issuer uses, then Luhn. */
export function cardNumberValid(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19) return false;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  const issuerLengthOk =
    (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) || // Visa
    (((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) && n === 16) || // Mastercard
    ((p2 === 34 || p2 === 37) && n === 15) || // Amex
    ((p4 === 6011 || p2 === 65 || (p4 >= 6440 && p4 <= 6499)) && n >= 16) || // Discover
    (p4 >= 3528 && p4 <= 3589 && n >= 16) || // JCB
    ((p2 === 36 || p2 === 38 || p2 === 39 || (p4 >= 3000 && p4 <= 3059)) && n >= 14) || // Diners
    (p2 === 62 && n >= 16); // UnionPay
  return issuerLengthOk && luhnValid(digits);
}

/** US SSN: area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

/** IBAN lengths per country (ISO 13616 registry, common countries). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** IBAN mod-97 check on a compact (no spaces), upper-case IBAN. */
export function ibanValid(compact: string): boolean {
  const expected = IBAN_LENGTHS[compact.slice(0, 2)];
  if (expected === undefined || compact.length !== expected) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) remainder = (remainder * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) remainder = (remainder * 100 + (c - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** True when a token mixes letters and digits (real secrets do; words and plain numbers don't). */
export function hasLettersAndDigits(s: string): boolean {
  return /[A-Za-z]/.test(s) && /\d/.test(s);
}

/**
 * IPv6 textual form check: at most one `::`, groups of 1-4 hex digits, 8 groups without `::`
 * (6 plus a dotted IPv4 tail), fewer with it, and at least one group so a bare `::` separator is not an address.
 */
export function ipv6Valid(s: string): boolean {
  let head = s;
  let groupsForV4 = 0;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    const v4 = s.slice(lastColon + 1);
    if (!/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v4)) return false;
    head = s.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
    groupsForV4 = 2;
  }
  const parts = head.split('::');
  if (parts.length > 2) return false;
  const groups = (part: string): string[] | null => {
    if (part === '') return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : null;
  };
  const left = groups(parts[0]!);
  if (left === null) return false;
  if (parts.length === 1) return left.length + groupsForV4 === 8;
  const right = groups(parts[1]!);
  if (right === null) return false;
  const n = left.length + right.length + groupsForV4;
  return n >= 1 && n <= 7;
}

/** Hostname label syntax: at least two labels of 1-63 chars, no label starting or ending with a hyphen. */
export function hostnameLabelsValid(host: string): boolean {
  let labelStart = 0;
  let labels = 0;
  for (let i = 0; i <= host.length; i++) {
    if (i < host.length && host.charCodeAt(i) !== 46 /* . */) continue;
    const len = i - labelStart;
    if (len === 0 || len > 63 || host[labelStart] === '-' || host[i - 1] === '-') return false;
    labels++;
    labelStart = i + 1;
  }
  return labels >= 2;
}
