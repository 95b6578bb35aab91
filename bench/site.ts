/**
 * What the browser benches share: the production site built and served by vite preview on
 * 127.0.0.1 (in its own folder per port, as the e2e run does), and Debian's Chromium with the
 * flags that keep WebGL2 on SwiftShader.
 */
import { chromium, type Browser } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--ignore-gpu-blocklist', '--enable-unsafe-swiftshader',
];

/** Builds the site and serves it; `close()` stops the server. */
export async function serveSite(port: number): Promise<{ base: string; close: () => void }> {
  const env = { ...process.env, SITE_OUT_DIR: `build/site-${port}` };
  const base = `http://127.0.0.1:${port}`;
  console.error('building…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env });
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true, env });
  const close = () => { if (server.pid) process.kill(-server.pid); };
  for (let i = 0; i < 60; i++) {
    try { if ((await fetch(base)).ok) return { base, close }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  close();
  throw new Error(`vite preview did not answer on ${base} within 30 s`);
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}
