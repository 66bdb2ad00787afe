import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UsageError } from './exit.js';

function git(args: readonly string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') done({ ok: false, stdout: '', stderr: 'git is not installed' });
      else done({ ok: !error, stdout, stderr });
    });
  });
}

/** Reads files as they are at one git revision of the repository around `cwd`. */
export interface GitRevision {
  /** The repository's root folder (real path). */
  root: string;
  /** The text of a file (an absolute path in the work tree) at the revision; undefined where it did not exist. */
  read(file: string): Promise<string | undefined>;
  /** Absolute paths of the files under `folder` (absolute) at the revision. */
  list(folder: string): Promise<string[]>;
}

export async function gitRevision(ref: string, cwd = process.cwd()): Promise<GitRevision> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new UsageError(`--against-git needs a git repository: ${top.stderr.trim().split('\n')[0] || cwd}`);
  const root = await realpath(top.stdout.trim());
  const commit = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (!commit.ok) throw new UsageError(`${ref} is not a git revision of ${root}`);
  const sha = commit.stdout.trim();
  const inRepo = async (path: string): Promise<string> => {
    const rel = relative(root, await realpath(path).catch(() => path));
    if (rel.startsWith('..')) throw new UsageError(`${path} is outside the git repository ${root}`);
    return rel.split(sep).join('/');
  };
  return {
    root,
    async read(file) {
      const shown = await git(['show', `${sha}:${await inRepo(file)}`], root);
      return shown.ok ? shown.stdout : undefined;
    },
    async list(folder) {
      const listed = await git(['ls-tree', '-r', '--name-only', '-z', sha, '--', (await inRepo(folder)) || '.'], root);
      return listed.ok
        ? listed.stdout
            .split('\0')
            .filter((name) => name !== '')
            .map((name) => join(root, name))
        : [];
    },
  };
}
