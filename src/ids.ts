// Opaque random identifiers and secrets. Ids are never sequential, so they reveal nothing and cannot be guessed.
import { createHash, randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

/** A bearer secret of 256 random bits, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as this hash: a fast hash is right for 256-bit random secrets. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
