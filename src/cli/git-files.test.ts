import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gitRevision } from './git-files.js';

describe('gitRevision', () => {
  test('reads and lists files as they were at a commit; refuses an unknown ref, a folder outside any repository', async () => {
    const repo = realpathSync(mkdtempSync(join(tmpdir(), 'cassettes-git-')));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    mkdirSync(join(repo, 'c', 'sub'), { recursive: true });
    writeFileSync(join(repo, 'c', 'a.yaml'), 'first');
    writeFileSync(join(repo, 'c', 'sub', 'b c.yaml'), 'spaced');
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(join(repo, 'c', 'a.yaml'), 'second');
    writeFileSync(join(repo, 'c', 'new.yaml'), 'new');
    const head = await gitRevision('HEAD', join(repo, 'c'));
    expect(head.root).toBe(repo);
    expect(await head.read(join(repo, 'c', 'a.yaml'))).toBe('first');
    expect(await head.read(join(repo, 'c', 'new.yaml'))).toBeUndefined();
    expect(await head.list(join(repo, 'c'))).toEqual([join(repo, 'c', 'a.yaml'), join(repo, 'c', 'sub', 'b c.yaml')]);
    await expect(head.read('/etc/hostname')).rejects.toThrow(/is outside the git repository/);
    await expect(gitRevision('nope', repo)).rejects.toThrow(/^nope is not a git revision of /);
    await expect(gitRevision('HEAD', mkdtempSync(join(tmpdir(), 'cassettes-nogit-')))).rejects.toThrow(/--against-git needs a git repository/);
  });
});
