// The smallest client of the service's HTTP API that the demo seeding needs: JSON requests and multipart photo
// uploads with a bearer token, and an error that says which request failed and what the service answered.

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const detail = body && typeof body === 'object' && 'message' in body ? String(body.message) : JSON.stringify(body);
    super(`${method} ${path} answered ${status}: ${detail}`);
    this.name = 'ApiError';
  }
}

export interface UploadFile {
  bytes: Buffer;
  /** Sent as the part's file name; the service never stores it. */
  name: string;
}

export class ApiClient {
  /**
   * `signal` stops every request at once (the demo stopping mid-seed). Each request has a connection of its own:
   * a kept-alive one would hold the service's shutdown until its idle timeout, this client living in its process.
   */
  constructor(
    readonly baseUrl: string,
    private readonly signal?: AbortSignal,
  ) {}

  async login(email: string, password: string): Promise<string> {
    const { token } = await this.json<{ token: string }>('POST', '/api/v1/auth/login', null, { email, password });
    return token;
  }

  /** A JSON request; the parsed body of a 2xx answer, null for 204, an ApiError otherwise. */
  async json<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
    const headers = this.headers(token);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: this.signal });
    return this.answer<T>(method, path, res);
  }

  /** A multipart form: text fields first (as the service reads them in order), then the files as `photos`. */
  async upload<T>(path: string, token: string | null, fields: Record<string, string>, photos: UploadFile[]): Promise<T> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const photo of photos) form.append('photos', new Blob([Uint8Array.from(photo.bytes)], { type: 'image/jpeg' }), photo.name);
    const res = await fetch(new URL(path, this.baseUrl), { method: 'POST', headers: this.headers(token), body: form, signal: this.signal });
    return this.answer<T>('POST', path, res);
  }

  private headers(token: string | null): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', connection: 'close' };
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  private async answer<T>(method: string, path: string, res: Response): Promise<T> {
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text.slice(0, 200);
      }
    }
    if (!res.ok) throw new ApiError(method, path, res.status, parsed);
    return (res.status === 204 ? null : parsed) as T;
  }
}
