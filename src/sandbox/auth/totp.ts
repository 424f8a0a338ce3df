// RFC 6238 TOTP as Google Authenticator uses it (SHA1, 30 s steps, 6 digits), for the
// 2FA provider endpoint. Magento: magento/security-package:TwoFactorAuth/Model/Provider/Engine/Google.php.

import { createHmac, randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Decode(secret: string): Buffer {
  const clean = secret.toUpperCase().replace(/[\s=]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = ALPHABET.indexOf(ch);
    if (idx < 0) throw new Error(`Invalid base32 character "${ch}".`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function randomBase32(length = 32): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHABET.charAt(b % 32)).join("");
}

/** The 6-digit code for a Unix time in seconds. */
export function totp(secret: string, unixSeconds: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

/** Accepts the current step and one step either side. */
export function verifyTotp(secret: string, otp: string, unixSeconds: number): boolean {
  return [-30, 0, 30].some((d) => totp(secret, unixSeconds + d) === otp.trim());
}
