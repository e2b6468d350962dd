import { posix } from 'node:path';
import { type KubernetesObject, objectKey } from './kubernetes-object';
import { ManifestBundle } from './manifest-bundle';
import { ManifestError } from './manifest-error';
import { type ParsedDocument, parseDocuments } from './parse-documents';
import type { SourceTree, TreeEntry } from './source-tree';

/** Caps that keep a hostile or broken repository from exhausting memory or time. */
export interface LoadLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxDocumentsPerFile: number;
  maxObjects: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  maxFiles: 1_000,
  maxFileBytes: 1024 * 1024,
  maxDocumentsPerFile: 1_000,
  maxObjects: 5_000,
};

const MANIFEST_FILE = /\.(ya?ml|json)$/;
const MAX_SYMLINK_HOPS = 8;

/**
 * Loads every manifest under `appPath` (recursively): each .yaml/.yml/.json file, each of
 * its documents, `kind: *List` documents expanded into their items. Every path, including
 * through symlinks, must stay inside the repository. The first problem found stops the
 * load with a ManifestError naming the file (and line), so nothing half-loaded is ever
 * applied.
 */
export async function loadManifests(
  tree: SourceTree,
  appPath: string,
  limits: LoadLimits = DEFAULT_LIMITS,
): Promise<ManifestBundle> {
  const root = insideRepository(appPath, appPath);
  const files = await collectFiles(tree, root, limits);

  const objects: KubernetesObject[] = [];
  const origin = new Map<string, string>();
  for (const { shown: file, real } of files) {
    const bytes = await tree.read(real);
    if (bytes.byteLength > limits.maxFileBytes) {
      throw new ManifestError(
        `${bytes.byteLength} bytes, more than the limit of ${limits.maxFileBytes}`,
        file,
      );
    }
    for (const doc of parseDocuments(
      file,
      new TextDecoder().decode(bytes),
      limits.maxDocumentsPerFile,
    )) {
      for (const object of expandLists(doc)) {
        const key = objectKey(object);
        const first = origin.get(key);
        if (first)
          throw new ManifestError(
            `${object.kind} "${object.metadata.name}" is also declared in ${first}`,
            file,
            doc.line,
          );
        origin.set(key, `${file}:${doc.line}`);
        objects.push(object);
        if (objects.length > limits.maxObjects) {
          throw new ManifestError(
            `more than the limit of ${limits.maxObjects} objects under "${appPath}"`,
          );
        }
      }
    }
  }
  return ManifestBundle.of(
    objects,
    files.map((f) => f.shown),
  );
}

/** Normalises a repository path and refuses one that leaves the repository. */
function insideRepository(path: string, shownAs: string): string {
  const normal = posix.normalize(path.replace(/\\/g, '/'));
  if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    throw new ManifestError(`"${shownAs}" points outside the repository`);
  }
  return normal === '.' || normal === './' ? '' : normal.replace(/^\.\//, '').replace(/\/$/, '');
}

/** Follows a chain of symlinks to the path it finally names, which must be in the repository. */
async function resolvePath(tree: SourceTree, path: string, hops = 0): Promise<string> {
  const entry = await entryAt(tree, path);
  if (entry?.type !== 'symlink') return path;
  if (hops >= MAX_SYMLINK_HOPS) throw new ManifestError('too many levels of symlinks', path);
  const target = await tree.readLink(path);
  if (posix.isAbsolute(target))
    throw new ManifestError(`symlink to "${target}" leaves the repository`, path);
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  if (resolved === '..' || resolved.startsWith('../')) {
    throw new ManifestError(`symlink to "${target}" leaves the repository`, path);
  }
  return resolvePath(tree, resolved, hops + 1);
}

async function entryAt(tree: SourceTree, path: string): Promise<TreeEntry | undefined> {
  if (path === '') return { path, type: 'dir' };
  const parent = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  try {
    return (await tree.list(parent)).find((e) => e.path === path);
  } catch {
    return undefined;
  }
}

interface ManifestFile {
  /** The path as the app sees it, through any symlinks: used in messages. */
  shown: string;
  /** Where its content really is. */
  real: string;
}

async function collectFiles(
  tree: SourceTree,
  root: string,
  limits: LoadLimits,
): Promise<ManifestFile[]> {
  const real = await resolvePath(tree, root);
  const entry = await entryAt(tree, real);
  if (!entry) throw new ManifestError(`path "${root || '.'}" does not exist in the repository`);
  if (entry.type === 'file') return [{ shown: root, real }];
  const files: ManifestFile[] = [];
  await walk(tree, root, real, files, new Set(), limits);
  return files.sort((a, b) => (a.shown < b.shown ? -1 : 1));
}

async function walk(
  tree: SourceTree,
  shown: string,
  real: string,
  files: ManifestFile[],
  seen: Set<string>,
  limits: LoadLimits,
): Promise<void> {
  if (seen.has(real)) return; // a symlink loop, or two links to one folder
  seen.add(real);
  for (const child of await tree.list(real)) {
    const name = posix.basename(child.path);
    if (name === '.git') continue;
    const childShown = shown ? `${shown}/${name}` : name;
    const target = child.type === 'symlink' ? await resolvePath(tree, child.path) : child.path;
    const type = child.type === 'symlink' ? (await entryAt(tree, target))?.type : child.type;
    if (type === undefined) throw new ManifestError('symlink target does not exist', childShown);
    if (type === 'dir') await walk(tree, childShown, target, files, seen, limits);
    else if (MANIFEST_FILE.test(name)) files.push({ shown: childShown, real: target });
    if (files.length > limits.maxFiles)
      throw new ManifestError(`more than the limit of ${limits.maxFiles} manifest files`);
  }
}

function expandLists(doc: ParsedDocument): KubernetesObject[] {
  const value = doc.value as { kind?: unknown; items?: unknown };
  if (
    typeof value === 'object' &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  ) {
    return value.items.map((item, i) =>
      validateObject({ ...doc, value: item }, `item ${i} of the ${value.kind}`),
    );
  }
  return [validateObject(doc, 'document')];
}

function validateObject(doc: ParsedDocument, what: string): KubernetesObject {
  const v = doc.value as Record<string, unknown>;
  const fail = (reason: string) => {
    throw new ManifestError(`${what}: ${reason}`, doc.file, doc.line);
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return fail('is not a Kubernetes object (a mapping)');
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) fail('apiVersion is missing');
  if (typeof v.kind !== 'string' || !v.kind) fail('kind is missing');
  const metadata = v.metadata as Record<string, unknown> | undefined;
  if (typeof metadata !== 'object' || metadata === null) return fail('metadata is missing');
  if (typeof metadata.name !== 'string' || !metadata.name)
    fail(`metadata.name is missing in ${v.kind}`);
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string')
    fail('metadata.namespace must be a string');
  return v as unknown as KubernetesObject;
}
