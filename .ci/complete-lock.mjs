// The registry this project's machines reach serves only some platforms' prebuilt binaries
// (e.g. @rollup/rollup-android-arm-eabi answers 404), so `npm install` leaves those optional
// packages out of package-lock.json and `npm ci` then refuses the lock as out of sync. This adds
// the missing optional entries with the platform their name states, which npm skips on any
// other platform without fetching them. Idempotent; run before `npm ci`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'netbsd', 'openharmony', 'sunos', 'aix', 'win32', 'wasm32'];
const CPU = { 'arm-eabi': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', wasi: 'wasm32' };

function platformOf(name) {
  const base = name.split('/').pop();
  const os = OS.find((o) => base.includes(`${o}-`) || base.endsWith(`-${o}`));
  const cpuKey = Object.keys(CPU).find((c) => base.includes(`-${c}`));
  const libc = base.includes('musl') ? ['musl'] : base.includes('gnu') ? ['glibc'] : undefined;
  return { os: os ? [os] : undefined, cpu: cpuKey ? [CPU[cpuKey]] : undefined, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os || !cpu) continue;
    packages[`node_modules/${name}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, os, cpu, ...(libc ? { libc } : {}) };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`complete-lock: ${added} optional platform entr${added === 1 ? 'y' : 'ies'} added`);
