// What a password must be: at least 12 characters, not blank, not one character repeated, not a run of
// the keyboard or the alphabet, and not a common password (the 49 000 of zxcvbn's list, also when only
// digits, spaces or punctuation were added around one of them: "password1234", "letmein 2024!"), nor a
// short word said twice or more ("monkeymonkey").
// The problem is said in plain words, for the person choosing it.
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common']);
  return common;
}

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', 'azertyuiopqsdfghjklmwxcvbn', '0123456789', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p'];

/** True when the text runs along one of the sequences above, forwards or backwards, repeating as needed. */
function isSequence(text: string): boolean {
  return SEQUENCES.some((sequence) => {
    const both = [sequence, [...sequence].reverse().join('')];
    return both.some((s) => (s.repeat(Math.ceil(text.length / s.length) + 1)).includes(text));
  });
}

/** Why the password is not acceptable, as a sentence, or null when it is. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (password.trim() === '') return 'The password must not be only spaces';
  const lower = password.normalize('NFKC').toLowerCase();
  if (/^(.)\1*$/su.test(lower)) return 'The password must not be one character repeated';
  const letters = lower.replace(/[\s\p{P}\p{S}]+/gu, '');
  if (isSequence(letters)) return 'The password must not be a row of the keyboard or the alphabet';
  const unit = /^(.+?)\1+$/su.exec(letters)?.[1];
  if (unit !== undefined && (unit.length <= 6 || commonPasswords().has(unit))) return 'The password must not be a short word or pattern repeated';
  // The core left when digits, spaces and punctuation are taken off both ends.
  const core = lower.replace(/^[\d\s\p{P}\p{S}]+|[\d\s\p{P}\p{S}]+$/gu, '').replace(/\s+/g, '');
  const list = commonPasswords();
  if (list.has(lower) || list.has(letters) || (core !== '' && list.has(core))) {
    return 'This password is one of the most common ones: choose a longer phrase of your own';
  }
  return null;
}
