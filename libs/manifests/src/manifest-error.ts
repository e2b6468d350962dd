/** A problem with what a repository declares, located as precisely as we can: file and line. */
export class ManifestError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${message}` : message);
    this.name = 'ManifestError';
  }
}
