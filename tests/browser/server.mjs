// Starts the real staying-close binary with a fresh demo for browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startDemo() {
  const binary = process.env.STAYING_CLOSE_BIN || join(root, 'target', 'debug', 'staying-close');
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-browser-'));
  const env = { ...process.env, STAYING_CLOSE_DATA_DIR: dataDir, STAYING_CLOSE_LOG: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(binary, ['demo', '--bind', '127.0.0.1:0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the demo did not start within 60 seconds')), 60_000);
    child.on('exit', (code) => reject(new Error(`the demo exited early with code ${code}`)));
    lines.on('line', (line) => {
      const match = line.match(/running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    baseUrl,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
