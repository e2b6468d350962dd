import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { type KubernetesObject, objectKey } from './kubernetes-object';

/**
 * What one app declares at one revision: its objects in a stable order, and a digest of
 * exactly that content, which names the bundle in the object store. Two commits that
 * render the same objects share one digest.
 */
export class ManifestBundle {
  private constructor(
    readonly objects: readonly KubernetesObject[],
    readonly files: readonly string[],
    readonly digest: string,
  ) {}

  static of(objects: KubernetesObject[], files: string[]): ManifestBundle {
    const sorted = [...objects].sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
    const digest = `sha256:${createHash('sha256').update(canonicalJson(sorted)).digest('hex')}`;
    return new ManifestBundle(sorted, files, digest);
  }

  /** The bytes stored for this bundle: canonical JSON, so the digest can be re-checked. */
  serialize(): Uint8Array {
    return new TextEncoder().encode(
      canonicalJson({ digest: this.digest, files: this.files, objects: this.objects }),
    );
  }

  static deserialize(bytes: Uint8Array): ManifestBundle {
    const { digest, files, objects } = JSON.parse(new TextDecoder().decode(bytes)) as {
      digest: string;
      files: string[];
      objects: KubernetesObject[];
    };
    const bundle = ManifestBundle.of(objects, files);
    if (bundle.digest !== digest)
      throw new Error(`bundle content does not match its digest ${digest}`);
    return bundle;
  }
}
