// Empties dist/ before `tsup` builds it. tsup's own `clean` cannot be used: with two configs
// writing into one directory, the ESM config's declaration build removes every *.d.{ts,mts,cts}
// when it starts — the CommonJS config's too, when that one finished first
// (docs/discoveries/tsup-clean-race.md).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
