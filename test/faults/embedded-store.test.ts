// A crash in the middle of an embedded-store write leaves a temporary file or side files without their
// object behind (or, from s3rver's own writer, a cut-off metadata file); the next start must remove those
// never-acknowledged writes, and listing, readiness and the stored photos must be fine.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { getPhotoBytes, objectKeys, postCase } from '../helpers/cases.js';

describe('embedded object store after a crash', () => {
  it('removes what a crash left of unacknowledged writes, and keeps listing and serving the rest', async () => {
    const first = await startTestApp();
    const clinician = await first.createUser('clinician');
    const created = await postCase(first, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const dataDir = first.dataDir;
    await first.app.close(); // keep DATA_DIR for the restart

    const bucketDir = path.join(dataDir, 'objects', 'photos', 'photos');
    // What SIGKILL during a write leaves: a temporary file, and side files whose object never arrived.
    fs.writeFileSync(path.join(bucketDir, 'half._S3rver_object.partial-0123456789ab'), Buffer.alloc(1000, 1));
    fs.writeFileSync(path.join(bucketDir, 'never._S3rver_object.md5'), 'd41d8cd98f00b204e9800998ecf8427e');
    fs.writeFileSync(path.join(bucketDir, 'never._S3rver_metadata.json'), '{"content-type":"image/jpeg"}');
    // And what s3rver's own writer left: object bytes with an empty metadata file.
    fs.writeFileSync(path.join(bucketDir, 'cut-off._S3rver_object'), Buffer.alloc(1000, 1));
    fs.writeFileSync(path.join(bucketDir, 'cut-off._S3rver_metadata.json'), '');

    const second = await startTestApp({ DATA_DIR: dataDir });
    try {
      expect((await second.http.get('/readyz')).status).toBe(200);
      const keys = await objectKeys(second); // a listing: this is what the cut-off file used to break
      expect(keys).not.toContain('photos/cut-off');
      for (const leftover of ['cut-off._S3rver_object', 'half._S3rver_object.partial-0123456789ab', 'never._S3rver_object.md5', 'never._S3rver_metadata.json']) {
        expect(fs.existsSync(path.join(bucketDir, leftover))).toBe(false);
      }
      expect(keys.filter((k) => k.startsWith('photos/'))).toHaveLength(1);
      const token = await second.login(clinician.email, clinician.password);
      const bytes = await getPhotoBytes(second, token, created.body.photos[0].id);
      expect(bytes.length).toBe(created.body.photos[0].bytes);
      expect(second.logs.join('\n')).toContain('that a crash cut off');
    } finally {
      await second.close();
    }
  });
});
