// The API client: bearer token from localStorage (one sign-in for every tab, until sign-out or expiry), JSON in and out, typed errors, uploads with progress,
// and photos fetched as blobs (an <img src> cannot carry the Authorization header).
import { currentLanguage, t } from './i18n.js';

/** @typedef {import('../../types.js').ErrorBody} ErrorBody */
/** @typedef {import('../../types.js').SessionUser} SessionUser */
/** @typedef {Record<string, string | number | boolean | null | undefined>} Query */

export const TOKEN_KEY = 'derm.token';
const RETURN_KEY = 'derm.returnTo';
const USER_KEY = 'derm.user';

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when no answer arrived
   * @param {ErrorBody | null | undefined} body the error answer, when there was one
   */
  constructor(status, body) {
    super(body?.message || t('web-common.error.requestFailed', { status }));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code || (status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}`);
    this.requestId = body?.requestId;
  }
}

export const session = {
  get token() {
    return localStorage.getItem(TOKEN_KEY);
  },
  /** @returns {SessionUser | null} */
  get user() {
    try {
      return JSON.parse(localStorage.getItem(USER_KEY) || 'null');
    } catch {
      return null;
    }
  },
  /**
   * @param {string} token
   * @param {SessionUser} user
   */
  save(token, user) {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  /** @param {SessionUser} user */
  setUser(user) {
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  /**
   * The page this tab asked for before it had to sign in (a route like /cases/abc), to return to after.
   * @param {string} route
   */
  rememberReturn(route) {
    if (route.startsWith('/') && !route.startsWith('/login')) sessionStorage.setItem(RETURN_KEY, route);
  },
  /** @returns {string | null} the remembered route, forgotten once read */
  takeReturn() {
    const route = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    return route && route.startsWith('/') && !route.startsWith('//') ? route : null;
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
    revokePhotoUrls();
  },
};

/**
 * Called when the server says the token no longer works (expired, signed out elsewhere, disabled).
 * @type {(error: ApiError) => void}
 */
let onUnauthorized = () => {};
/** @param {(error: ApiError) => void} fn */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** @returns {Record<string, string>} */
function authHeaders() {
  const token = session.token;
  // The server words its error messages in the user's language, not the browser's.
  return token ? { authorization: `Bearer ${token}`, 'accept-language': currentLanguage() } : { 'accept-language': currentLanguage() };
}

/**
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
async function parseBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body] sent as JSON when given
 * @param {{ query?: Query, signal?: AbortSignal }} [options] query parameters (undefined, null and '' are left
 *   out); a signal that cancels the request (a look-up overtaken by the next keystroke): it then throws the AbortError
 * @returns {Promise<unknown>} the parsed JSON answer, null for 204
 */
export async function request(method, path, body, { query, signal } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json', ...authHeaders() };
  /** @type {RequestInit} */
  const init = { method, headers, signal };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, { message: t('web-common.error.NETWORK_ERROR') });
  }
  const data = await parseBody(response);
  if (!response.ok) {
    const error = new ApiError(response.status, /** @type {ErrorBody | null} */ (data));
    if (response.status === 401 && path !== '/api/v1/auth/login') onUnauthorized(error);
    throw error;
  }
  return response.status === 204 ? null : data;
}

// The answers are unknown here: each caller casts to the answer's type (the schemas in src/schemas/ or ./types.d.ts).
export const api = {
  /**
   * @param {string} path
   * @param {Query} [query]
   * @param {{ signal?: AbortSignal }} [options]
   */
  get: (path, query, { signal } = {}) => request('GET', path, undefined, { query, signal }),
  /**
   * @param {string} path
   * @param {unknown} [body]
   */
  post: (path, body = {}) => request('POST', path, body),
  /**
   * @param {string} path
   * @param {unknown} body
   */
  patch: (path, body) => request('PATCH', path, body),
  /** @param {string} path */
  del: (path) => request('DELETE', path),
};

/**
 * Sends multipart form data with XMLHttpRequest, the one browser API that reports upload progress.
 * onProgress(fraction 0..1 or null when the size is unknown).
 * @param {string} path
 * @param {FormData} formData
 * @param {(fraction: number | null) => void} [onProgress]
 * @returns {Promise<unknown>} the parsed JSON answer
 */
export function upload(path, formData, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const token = session.token;
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => onProgress(event.lengthComputable ? event.loaded / event.total : null);
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, { message: t('web-common.error.uploadInterrupted') }));
    xhr.onabort = () => reject(new ApiError(0, { message: t('web-common.error.uploadCancelled') }));
    xhr.onload = () => {
      /** @type {unknown} */
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = { message: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else {
        const error = new ApiError(xhr.status, /** @type {ErrorBody | null} */ (data));
        if (xhr.status === 401) onUnauthorized(error);
        reject(error);
      }
    };
    xhr.send(formData);
  });
}

/**
 * A GET whose answer is read as it arrives (the live events, live.js), with the session's token; a 401 ends the
 * session as it does for any other request. Network errors are thrown as they come.
 * @param {string} path
 * @param {{ headers?: Record<string, string>, signal?: AbortSignal }} [options]
 * @returns {Promise<Response>}
 */
export async function streamRequest(path, { headers = {}, signal } = {}) {
  const response = await fetch(path, { headers: { ...headers, ...authHeaders() }, signal, cache: 'no-store' });
  if (response.status === 401) onUnauthorized(new ApiError(401, /** @type {ErrorBody | null} */ (await parseBody(response))));
  return response;
}

/** @typedef {'thumb' | 'display' | 'full'} PhotoVariant */

/**
 * A photo's bytes (variant 'thumb' ≤ 512 px, 'display' ≤ 2048 px, 'full'), fetched with the bearer header.
 * @param {string} id
 * @param {PhotoVariant} [variant]
 * @returns {Promise<Blob>}
 */
export async function photoBlob(id, variant = 'full') {
  const path = `/api/v1/photos/${encodeURIComponent(id)}${variant === 'full' ? '' : `?variant=${variant}`}`;
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw new ApiError(response.status, /** @type {ErrorBody | null} */ (await parseBody(response)));
  return response.blob();
}

// Object URLs of photos already fetched in this session, keyed by `id:variant`.
/** @type {Map<string, Promise<string>>} */
const photoCache = new Map();

/**
 * An object URL for a photo, fetched once for the session (small variants: the large ones are the viewer's
 * to hold and let go).
 * @param {string} id
 * @param {PhotoVariant} [variant]
 * @returns {Promise<string>}
 */
export function photoUrl(id, variant = 'full') {
  const key = `${id}:${variant}`;
  if (!photoCache.has(key)) {
    const promise = photoBlob(id, variant).then((blob) => URL.createObjectURL(blob));
    promise.catch(() => photoCache.delete(key));
    photoCache.set(key, promise);
  }
  return /** @type {Promise<string>} */ (photoCache.get(key));
}

function revokePhotoUrls() {
  for (const promise of photoCache.values()) promise.then((url) => URL.revokeObjectURL(url)).catch(() => {});
  photoCache.clear();
}

/**
 * Downloads a file from the API with the session's credentials (a plain link cannot send the bearer token);
 * the browser saves it under the name the server gives.
 * @param {string} path with its query string, if any
 * @param {string} fallbackName the file's name when the server gives none
 * @returns {Promise<{ name: string, headers: Headers }>} the name saved under, and the answer's headers
 */
export async function download(path, fallbackName) {
  let response;
  try {
    response = await fetch(path, { headers: authHeaders(), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { message: t('web-common.error.NETWORK_ERROR') });
  }
  if (!response.ok) throw new ApiError(response.status, /** @type {ErrorBody | null} */ (await parseBody(response)));
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file by the time a minute has passed.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, headers: response.headers };
}

/** Codes whose sentence the web app words itself (web-common error.<code>), for a person who can act on it. */
const OWN_WORDS = new Set(['UNSUPPORTED_MEDIA_TYPE', 'IMAGE_TOO_LARGE', 'FILE_TOO_LARGE', 'IMAGE_CORRUPT', 'STORAGE_UNAVAILABLE', 'TOO_MANY_REQUESTS', 'NETWORK_ERROR', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHORIZED']);

/**
 * The sentence to show a person for an error from the API (by its stable `code`).
 * @param {unknown} error
 * @returns {string}
 */
export function errorMessage(error) {
  if (!(error instanceof ApiError)) return t('web-common.error.unknown');
  if (error.code === 'VALIDATION_ERROR' || error.status === 400 || error.status === 409) return error.message;
  if (error.status === 401 && error.message) return error.message;
  if (OWN_WORDS.has(error.code)) return t(`web-common.error.${error.code}`);
  if (error.status < 500) return error.message;
  return error.requestId ? t('web-common.error.serverReference', { reference: error.requestId }) : t('web-common.error.server');
}
