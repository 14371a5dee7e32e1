// Bundles the compiled CLI into one file, dist/src/cli/dslab.js (the `dslab` bin): loading one
// file instead of a hundred modules takes about 80 ms off every command's start-up, which is
// most of what stands between `dslab up` and its 400 ms target. The bundle sits beside
// main.js, so compiledSrcDir() and packageRoot() resolve exactly as they do unbundled, and the
// services it starts (src/services/*/main.js) stay separate programs.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/src/cli/dslab.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // commander is CommonJS; give the bundle a require() for its node: built-ins
  banner: { js: "import { createRequire as __dslabRequire } from 'node:module';\nconst require = __dslabRequire(import.meta.url);" },
  logLevel: 'warning',
});
