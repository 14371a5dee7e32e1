/**
 * Reads a lab file (YAML) and validates it into a Topology before anything is created.
 * Without a path, the default lab: the article's table, shipped as examples/default.yaml.
 * Problems point at the file, line and column of the offending value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { DslabError, isDslabError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { problemPath, type LabPath } from './problem.js';
import { validateLab } from './validate.js';
import { DEFAULT_SOURCE, type Topology } from './topology.js';

export { DEFAULT_SOURCE };

/** Path of the default lab file, examples/default.yaml in the dslab package. */
export function defaultLabPath(): string {
  return join(packageRoot(), 'examples', 'default.yaml');
}

let defaultName: string | undefined;

/**
 * The name of the default lab (examples/default.yaml's `name:`): the lab a command acts on
 * when neither --lab nor a LAB argument names one, as Compose takes the project from its
 * default file. Never "whichever lab is up": other people's labs may be.
 */
export function defaultLabName(): string {
  defaultName ??= parseLab(readFileSync(defaultLabPath(), 'utf8'), DEFAULT_SOURCE).name;
  return defaultName;
}

/** The file a lab argument names: the path itself if it exists, else the example of that name (`big`: examples/big.yaml). */
export function findLabFile(lab: string): string | undefined {
  if (existsSync(lab)) return lab;
  if (!/^[a-z0-9._-]+$/i.test(lab)) return undefined;
  return [join(packageRoot(), 'examples', `${lab}.yaml`), join(packageRoot(), 'examples', lab)].find((f) => existsSync(f));
}

/** What to load for a lab argument of the commands: its file, or the argument itself (loadLab then says it does not exist). */
export function labPath(lab: string | undefined): string | undefined {
  return lab === undefined ? undefined : (findLabFile(lab) ?? lab);
}

/**
 * Reads a lab file (default: examples/default.yaml) and validates it into a Topology; throws a
 * DslabError (`DSLAB_E_LAB_FILE`) when the file cannot be read.
 */
export async function loadLab(path?: string): Promise<Topology> {
  const file = path ?? defaultLabPath();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(err)})`;
    throw new DslabError('DSLAB_E_LAB_FILE', `The lab file ${file} ${why}.`, {
      field: 'file',
      value: file,
      hint: path === undefined ? 'Reinstall dslab: its examples/default.yaml is missing.' : 'Check the path, or leave it out to use the default lab (examples/default.yaml).',
      cause: err,
    });
  }
  return parseLab(text, path ?? DEFAULT_SOURCE);
}

/**
 * Parses lab YAML text and validates it into a Topology; `source` names it in the Topology and
 * in error messages, which point at the line and column of the offending value.
 */
export function parseLab(text: string, source: string): Topology {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lines.linePos(yamlError.pos[0]);
    throw new DslabError('DSLAB_E_LAB_YAML', `${source}, line ${pos.line}, column ${pos.col}: this is not valid YAML: ${firstLine(yamlError.message)}.`, {
      field: 'yaml',
      value: excerpt(text, pos.line),
      hint: 'Fix the YAML syntax there (indent with spaces, "key: value", lists with "- "); see examples/default.yaml.',
      cause: yamlError,
      details: { line: pos.line, column: pos.col },
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new DslabError('DSLAB_E_LAB_YAML', `${source}: this YAML cannot be read: ${(err as Error).message}.`, {
      field: 'yaml',
      hint: 'Use fewer aliases (*name): write the values out instead, then try again.',
      cause: err,
    });
  }
  try {
    return validateLab(value, source);
  } catch (err) {
    if (isDslabError(err)) throw located(err, doc, lines, source);
    throw err;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/[.:]\s*$/, '');
}

function excerpt(text: string, line: number): string {
  return (text.split('\n')[line - 1] ?? '').trimEnd();
}

/** The same problem, its message prefixed with the file and the line of the value. */
function located(err: DslabError, doc: Document, lines: LineCounter, source: string): DslabError {
  const where = position(doc, lines, problemPath(err) ?? []);
  const at = where ? `${source}, line ${where.line}, column ${where.col}` : source;
  return new DslabError(err.code, `${at}: ${err.message}`, {
    field: err.field,
    value: err.value,
    hint: err.hint,
    cause: err.cause ?? err,
    details: { ...err.details, source, ...(where ? { line: where.line, column: where.col } : {}) },
  });
}

/** The position of the deepest node along `path` that exists in the document. */
function position(doc: Document, lines: LineCounter, path: LabPath): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
  }
  return undefined;
}
