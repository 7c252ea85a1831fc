// vitest globalSetup: one Ceph cluster with a RADOS Gateway for the whole run, shared by every test file
// that asks for it with inject('rgw'). Test files make their own bucket (rgwEnv(inject('rgw'), bucket)), so
// that they can run side by side. A test that stops the gateway must start its own cluster (startRgw()).
import type { TestProject } from 'vitest/node';
import { startRgw, type RgwConnection } from './ceph-rgw.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared gateway: endpoint '127.0.0.1', its port, the S3 user's keys and the region. */
    rgw: RgwConnection;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const rgw = await startRgw();
  // Only plain data crosses to the test workers: the handles to the daemons stay in this process.
  project.provide('rgw', { endpoint: rgw.endpoint, port: rgw.port, accessKey: rgw.accessKey, secretKey: rgw.secretKey, region: rgw.region });
  return () => rgw.stop();
}
