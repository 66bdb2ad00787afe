/**
 * The package as users get it: `npm pack` of this repo (built first when dist/ is older than the
 * sources), unpacked into a throwaway project's node_modules. Its runtime dependencies and the
 * test tools are symlinked from this repo's node_modules, so nothing touches the network.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  exports: Record<string, unknown>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every file the exports map points at: a build that lacks one is not a build. */
function exportedFiles(manifest: Manifest): string[] {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith('./dist/')) out.add(value.slice(2));
    } else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) walk(inner);
    }
  };
  walk(manifest.exports);
  return [...out];
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale(): boolean {
  const outputs = exportedFiles(readManifest(ROOT)).map((file) => join(ROOT, file));
  if (outputs.some((file) => !existsSync(file))) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'package.json')), newestMtime(join(ROOT, 'tsup.config.ts')));
  return sources > built;
}

/** npm and tsup must run on this Node (the `node` devDependency), not whatever is first on PATH. */
function toolEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  env['PATH'] = [dirname(process.execPath), join(ROOT, 'node_modules/.bin'), env['PATH'] ?? ''].join(delimiter);
  return env;
}

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, env: toolEnv(), encoding: 'utf8', shell: process.platform === 'win32', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Runs `fn` holding the build lock. The e2e files run in parallel: one builds while the others
 * wait, and nobody packs while a build is under way (tsup's `clean` empties dist/ first: a pack
 * taken then lacks files).
 */
async function withBuildLock<T>(fn: () => T): Promise<T> {
  const lock = join(tmpdir(), `cassettes-e2e-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed run is older than any build takes
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds when dist/ is stale (under the build lock: e2e files and store tests run in parallel). */
export async function buildIfStale(): Promise<void> {
  await withBuildLock(() => {
    if (isStale()) npm(['run', 'build'], ROOT);
  });
}

/** Builds when dist/ is stale, then runs `npm pack` into a fresh directory and returns the tarball's path. */
export async function packPackage(): Promise<string> {
  const dest = mkdtempSync(join(tmpdir(), 'cassettes-pack-'));
  const out = await withBuildLock(() => {
    if (isStale()) npm(['run', 'build'], ROOT);
    return npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], ROOT);
  });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  if (!info) throw new Error(`npm pack printed no file name:\n${out}`);
  return join(dest, info.filename);
}

/** Links `name` into the project; `name=installed` links another installed package under that name (an npm alias). */
function link(project: string, spec: string): void {
  const [name = spec, installed = name] = spec.split('=');
  const target = join(ROOT, 'node_modules', installed);
  if (!existsSync(target)) throw new Error(`${installed} is not installed in ${ROOT}/node_modules`);
  const path = join(project, 'node_modules', name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'junction');
}

/**
 * A temp project with the tarball unpacked as node_modules/cassettes, its dependencies and
 * `tools` linked. Node resolves a symlinked package's own dependencies from its real path, so
 * the direct ones are enough.
 */
export function createProject(tarball: string, tools: string[]): string {
  const project = mkdtempSync(join(tmpdir(), 'cassettes-e2e-'));
  const installed = join(project, 'node_modules', 'cassettes');
  mkdirSync(installed, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  const manifest = readManifest(installed);
  const missing = exportedFiles(manifest).filter((file) => !existsSync(join(installed, file)));
  if (missing.length > 0) throw new Error(`the packed package lacks exported files: ${missing.join(', ')}`);
  for (const name of [...Object.keys(manifest.dependencies ?? {}), ...tools]) link(project, name);
  return project;
}
