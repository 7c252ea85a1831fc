// Plain words for the follow-up page: every API error code a patient or parent can meet, said simply.
// One source for both the no-JavaScript result page (server) and the script (handed over in a data attribute).

export const PLAIN_MESSAGES: Record<string, string> = {
  NOT_FOUND: 'This link does not work any more. Please ask your clinic for a new one.',
  // A link that no longer works, of a clinic that has a phone number or address to give.
  NOT_FOUND_WITH_CONTACT: 'This link no longer works. To send more photos, contact {clinic}: {contact}',
  UNSUPPORTED_MEDIA_TYPE: 'One of the files is not a photo. Please choose photos only.',
  FILE_TOO_LARGE: 'One photo is too large to send. Please take it again, or choose a smaller one.',
  IMAGE_TOO_LARGE: 'One photo is too large to send. Please take it again, or choose a smaller one.',
  IMAGE_CORRUPT: 'One photo could not be read. Please take it again and send it once more.',
  IMAGE_TOO_COMPLEX: 'One photo could not be opened. Please take it again with the phone camera and send that one.',
  UNSUPPORTED_IMAGE: 'One file is a kind of picture that cannot be opened here. Please take it again with the phone camera.',
  MALFORMED_MULTIPART: 'The photos did not arrive whole. Please check your connection and send them again.',
  TOO_MANY_PHOTOS: 'That is more photos than this link can take. Please remove some and send again.',
  TOO_MANY_FILES: 'That is too many photos at once. Please send fewer at a time.',
  TOO_MANY_PARTS: 'That is too many photos at once. Please send fewer at a time.',
  VALIDATION_ERROR: 'Please take or choose at least one photo first.',
  TOO_MANY_REQUESTS: 'Too many tries in a short time. Please wait a minute and try again.',
  STORAGE_UNAVAILABLE: 'The service is busy right now. Please try again in a few minutes.',
  SERVICE_UNAVAILABLE: 'The service is busy right now. Please try again in a few minutes.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again in a few minutes.',
  NETWORK: 'The photos could not be sent: check your connection and try again.',
  GENERIC: 'The photos could not be sent. Please try again.',
};

export function plainMessage(code: string, statusCode: number): string {
  return PLAIN_MESSAGES[code] ?? (statusCode >= 500 ? PLAIN_MESSAGES.INTERNAL_ERROR! : PLAIN_MESSAGES.GENERIC!);
}
