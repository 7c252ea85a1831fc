// Minimal types for s3rver (it ships none): only what the embedded object store uses.
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    resetOnClose?: boolean;
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    /** The request handler (s3rver is a Koa app), for a server of one's own. */
    callback(): (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void;
    close(): Promise<void>;
    /** Where objects are kept; replaceable (see src/storage/embedded-files.ts). */
    store: unknown;
    context: { store: unknown };
  }
}
