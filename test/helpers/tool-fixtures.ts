/**
 * Real outputs of curl, dig and ping kept in test/fixtures/tools/ (captured in a lab's
 * client node, plus the article's samples), read by name for the parser tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

export function toolFixture(name: string): string {
  return readFileSync(join(packageRoot(), 'test', 'fixtures', 'tools', name), 'utf8');
}
