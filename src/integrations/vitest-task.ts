import { assignTitles, type TestRun } from './test-names.js';

/** The slice of Vitest's Task we read (vitest stays an optional peer). */
export interface TaskLike {
  type?: string;
  name: string;
  suite?: TaskLike | undefined;
  file?: (TaskLike & { filepath?: string }) | undefined;
  tasks?: TaskLike[];
  result?: { retryCount?: number; repeatCount?: number } | undefined;
}

function titlesOf(task: TaskLike, file: TaskLike | undefined): string[] {
  const titles: string[] = [];
  for (let t: TaskLike | undefined = task; t && t !== file; t = t.suite) if (t.name) titles.unshift(t.name);
  return titles;
}

function testsOf(node: TaskLike, out: TaskLike[] = []): TaskLike[] {
  for (const child of node.tasks ?? []) {
    if (child.tasks) testsOf(child, out);
    else out.push(child);
  }
  return out;
}

const assigned = new WeakMap<TaskLike, Map<TaskLike, string>>();

function uniqueTitle(task: TaskLike): string {
  const file = task.file;
  if (!file) return assignTitles([titlesOf(task, undefined)])[0]!;
  let titles = assigned.get(file);
  if (!titles) {
    const tests = testsOf(file);
    const unique = assignTitles(tests.map((t) => titlesOf(t, file)));
    titles = new Map(tests.map((t, i) => [t, unique[i]!]));
    assigned.set(file, titles);
  }
  return titles.get(task) ?? assignTitles([titlesOf(task, file)])[0]!;
}

export function vitestRun(task: TaskLike): TestRun {
  return {
    file: task.file?.filepath ?? 'unknown',
    title: uniqueTitle(task),
    key: task,
    attempt: `${task.result?.retryCount ?? 0}/${task.result?.repeatCount ?? 0}`,
  };
}
