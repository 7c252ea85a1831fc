// A crash in the middle of an embedded-store write leaves a cut-off metadata file behind; the next start
// must remove that never-acknowledged object, and listing, readiness and the stored photos must be fine.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { getPhotoBytes, objectKeys, postCase } from '../helpers/cases.js';

describe('embedded object store after a crash', () => {
  it('removes objects whose metadata a crash cut off, and keeps listing and serving the rest', async () => {
    const first = await startTestApp();
    const clinician = await first.createUser('clinician');
    const created = await postCase(first, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const dataDir = first.dataDir;
    await first.app.close(); // keep DATA_DIR for the restart

    // What SIGKILL between s3rver's writes leaves: object bytes, and an empty metadata file.
    const bucketDir = path.join(dataDir, 'objects', 'photos', 'photos');
    fs.writeFileSync(path.join(bucketDir, 'cut-off._S3rver_object'), Buffer.alloc(1000, 1));
    fs.writeFileSync(path.join(bucketDir, 'cut-off._S3rver_metadata.json'), '');

    const second = await startTestApp({ DATA_DIR: dataDir });
    try {
      expect((await second.http.get('/readyz')).status).toBe(200);
      const keys = await objectKeys(second); // a listing: this is what the cut-off file used to break
      expect(keys).not.toContain('photos/cut-off');
      expect(fs.existsSync(path.join(bucketDir, 'cut-off._S3rver_object'))).toBe(false);
      expect(keys.filter((k) => k.startsWith('photos/'))).toHaveLength(1);
      const token = await second.login(clinician.email, clinician.password);
      const bytes = await getPhotoBytes(second, token, created.body.photos[0].id);
      expect(bytes.length).toBe(created.body.photos[0].bytes);
      expect(second.logs.join('\n')).toContain('cut off by a crash');
    } finally {
      await second.close();
    }
  });
});
