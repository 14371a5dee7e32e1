// Bundles the compiled programs into one file each: loading one file instead of a hundred
// modules takes about 80 ms off every command's start-up, which is most of what stands between
// `dslab up` and its 400 ms target.
// - dist/src/cli/dslab.js, the `dslab` bin. It sits beside main.js, so compiledSrcDir() and
//   packageRoot() resolve exactly as they do unbundled.
// - dist/src/services/{dns,web,probe}/main.bundle.js, the lab's own servers and probe, which
//   `up` starts (src/services/entry.ts): about 60 ms off the DNS server's start, which is on
//   `up`'s critical path. They use neither import.meta nor packageRoot(), so the bundles may sit
//   one folder deeper than the modules they hold. Their heavy modules, imported lazily, stay
//   lazy: esbuild runs a dynamic import's module only when it is imported.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // commander is CommonJS; give the bundle a require() for its node: built-ins
  banner: { js: "import { createRequire as __dslabRequire } from 'node:module';\nconst require = __dslabRequire(import.meta.url);" },
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['dist/src/cli/main.js'], outfile: 'dist/src/cli/dslab.js' }),
  ...['dns', 'web', 'probe'].map((s) => build({ ...common, entryPoints: [`dist/src/services/${s}/main.js`], outfile: `dist/src/services/${s}/main.bundle.js` })),
]);
