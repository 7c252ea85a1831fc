// The real entry point, as `npm start` runs it.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('server start', () => {
  it('stops at once with a message naming the variable when the configuration is bad', async () => {
    const { code, stderr } = await runServer({ PORT: 'not-a-port', DATA_DIR: '/tmp/never-used' });
    expect(code).toBe(78);
    expect(stderr).toContain('PORT must be a whole number');
  });
});
