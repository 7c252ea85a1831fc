// The API client: bearer token from sessionStorage, JSON in and out, typed errors, uploads with progress,
// and photos fetched as blobs (an <img src> cannot carry the Authorization header).

const TOKEN_KEY = 'derm.token';
const USER_KEY = 'derm.user';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code || (status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}`);
    this.requestId = body?.requestId;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get user() {
    try {
      return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
    } catch {
      return null;
    }
  },
  save(token, user) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  setUser(user) {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    revokePhotoUrls();
  },
};

/** Called when the server says the token no longer works (expired, signed out elsewhere, disabled). */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

function authHeaders() {
  const token = session.token;
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function parseBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

export async function request(method, path, body, { query } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  const headers = { accept: 'application/json', ...authHeaders() };
  const init = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, { message: 'The server cannot be reached. Check the connection and try again.' });
  }
  const data = await parseBody(response);
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && path !== '/api/v1/auth/login') onUnauthorized(error);
    throw error;
  }
  return response.status === 204 ? null : data;
}

export const api = {
  get: (path, query) => request('GET', path, undefined, { query }),
  post: (path, body = {}) => request('POST', path, body),
  patch: (path, body) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
};

/**
 * Sends multipart form data with XMLHttpRequest, the one browser API that reports upload progress.
 * onProgress(fraction 0..1 or null when the size is unknown).
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
    xhr.onerror = () => reject(new ApiError(0, { message: 'The upload was interrupted. Check the connection and try again.' }));
    xhr.onabort = () => reject(new ApiError(0, { message: 'The upload was cancelled.' }));
    xhr.onload = () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = { message: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else {
        const error = new ApiError(xhr.status, data);
        if (xhr.status === 401) onUnauthorized(error);
        reject(error);
      }
    };
    xhr.send(formData);
  });
}

// Object URLs of photos already fetched in this session, keyed by `id:variant`.
const photoCache = new Map();

/** An object URL for a photo (variant 'thumb' or 'full'); fetched once with the bearer header. */
export function photoUrl(id, variant = 'full') {
  const key = `${id}:${variant}`;
  if (!photoCache.has(key)) {
    const path = `/api/v1/photos/${encodeURIComponent(id)}${variant === 'thumb' ? '?variant=thumb' : ''}`;
    const promise = fetch(path, { headers: authHeaders() }).then(async (response) => {
      if (!response.ok) throw new ApiError(response.status, await parseBody(response));
      return URL.createObjectURL(await response.blob());
    });
    promise.catch(() => photoCache.delete(key));
    photoCache.set(key, promise);
  }
  return photoCache.get(key);
}

function revokePhotoUrls() {
  for (const promise of photoCache.values()) promise.then((url) => URL.revokeObjectURL(url)).catch(() => {});
  photoCache.clear();
}

const MESSAGES = {
  UNSUPPORTED_MEDIA_TYPE: 'This file is not a photo. Choose a JPEG, PNG, WebP, TIFF, HEIC or AVIF picture.',
  IMAGE_TOO_LARGE: 'Photo too large. Take it again at a lower resolution or choose a smaller one.',
  FILE_TOO_LARGE: 'Photo too large. Take it again at a lower resolution or choose a smaller one.',
  IMAGE_CORRUPT: 'This photo is damaged or incomplete. Take it again or choose another one.',
  STORAGE_UNAVAILABLE: 'Photos cannot be stored right now. Nothing was lost from the form: try again in a minute.',
  TOO_MANY_REQUESTS: 'Too many attempts. Wait a minute and try again.',
  NETWORK_ERROR: 'The server cannot be reached. Check the connection and try again.',
  NOT_FOUND: 'Not found: it may have been removed, or you may not have access to it.',
  FORBIDDEN: 'You are not allowed to do this.',
  UNAUTHORIZED: 'Your session has ended. Sign in again.',
};

/** The sentence to show a person for an error from the API (by its stable `code`). */
export function errorMessage(error) {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  if (error.code === 'VALIDATION_ERROR' || error.status === 400 || error.status === 409) return error.message;
  if (error.status === 401 && error.message) return error.message;
  return MESSAGES[error.code] ?? (error.status >= 500 ? `The server had a problem. Try again later${error.requestId ? ` (reference ${error.requestId})` : ''}.` : error.message);
}
