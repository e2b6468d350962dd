import { LineCounter, parseAllDocuments } from 'yaml';
import { ManifestError } from './manifest-error';

/** One document of a manifest file, with the line it starts on. */
export interface ParsedDocument {
  file: string;
  line: number;
  value: unknown;
}

/**
 * Parses a .yaml/.yml (any number of documents) or .json file. Syntax errors name the
 * file and line; empty documents (a stray `---`) are dropped.
 */
export function parseDocuments(file: string, text: string, maxDocuments: number): ParsedDocument[] {
  return file.endsWith('.json') ? [parseJson(file, text)] : parseYaml(file, text, maxDocuments);
}

function parseYaml(file: string, text: string, maxDocuments: number): ParsedDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  if (!Array.isArray(documents)) return []; // an empty file
  if (documents.length > maxDocuments) {
    throw new ManifestError(
      `${documents.length} YAML documents, more than the limit of ${maxDocuments}`,
      file,
    );
  }
  const parsed: ParsedDocument[] = [];
  for (const doc of documents) {
    const [error] = doc.errors;
    if (error) {
      const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
      throw new ManifestError(`invalid YAML: ${error.message.split('\n')[0]}`, file, line);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const start = doc.contents?.range?.[0] ?? 0;
    parsed.push({ file, line: lineCounter.linePos(start).line, value });
  }
  return parsed;
}

function parseJson(file: string, text: string): ParsedDocument {
  try {
    return { file, line: 1, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = (err as Error).message;
    const offset = jsonErrorOffset(message, text);
    const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
    throw new ManifestError(`invalid JSON: ${message.split('\n')[0]}`, file, line);
  }
}

/**
 * Where JSON.parse failed: V8 gives either "at position N" or an excerpt of the text
 * around the bad token, `..."<excerpt>" is not valid JSON`, which we look up.
 */
function jsonErrorOffset(message: string, text: string): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const excerpt = /\.\.\."([\s\S]*)" is not valid JSON/
    .exec(message)?.[1]
    .replace(/^\.\.\.|\.\.\.$/g, '');
  if (!excerpt) return undefined;
  const at = text.indexOf(excerpt);
  return at === -1 ? undefined : at + excerpt.trimEnd().length;
}
