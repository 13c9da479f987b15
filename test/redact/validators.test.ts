import { describe, expect, it } from 'vitest';
import {
  cardNumberValid,
  ibanValid,
  ipv6Valid,
  luhnValid,
  shannonEntropy,
  ssnValid,
} from '../../src/redact/validators.js';

describe('validators', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });

  it('card numbers need an issuer prefix and length as well as Luhn', () => {
    expect(cardNumberValid('378282246310005')).toBe(true); // Amex, 15
    expect(cardNumberValid('5555555555554444')).toBe(true);
    expect(cardNumberValid('6011111111111117')).toBe(true);
    expect(cardNumberValid('0000000000000000')).toBe(false); // Luhn-valid, no issuer
    expect(cardNumberValid('411111111111111')).toBe(false); // Visa length 15
  });

  it('SSN invalid ranges', () => {
    expect(ssnValid('078', '05', '1120')).toBe(true);
    for (const [a, g, s] of [
      ['000', '12', '3456'],
      ['666', '12', '3456'],
      ['900', '12', '3456'],
      ['123', '00', '4567'],
      ['123', '45', '0000'],
    ] as const) {
      expect(ssnValid(a, g, s)).toBe(false);
    }
  });

  it('IBAN mod-97 and country length', () => {
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false);
    expect(ibanValid('ZZ82WEST12345698765432')).toBe(false);
  });

  it('IPv6 textual forms', () => {
    for (const ok of [
      '2001:db8::1',
      '::1',
      'fe80::1ff:fe23:4567:890a',
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      '::ffff:192.0.2.1',
    ]) {
      expect(ipv6Valid(ok), ok).toBe(true);
    }
    for (const bad of ['::', '1:2:3', '1::2::3', '12345::1', '1:2:3:4:5:6:7:8:9', '::ffff:999.0.2.1']) {
      expect(ipv6Valid(bad), bad).toBe(false);
    }
  });

  it('entropy', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
