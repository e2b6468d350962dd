import type {
  ApplicationRegistration,
  ClusterRegistration,
  RepositoryRegistration,
  Topology,
} from '@cairn/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { openBucket, registrationKinds } from './registration-buckets';
import { RegistryView } from './registry-view';

/** What the repo-poller and reconcilers know of registrations: live views of all three buckets. */
export class Registry {
  private constructor(
    readonly repositories: RegistryView<RepositoryRegistration>,
    readonly clusters: RegistryView<ClusterRegistration>,
    readonly applications: RegistryView<ApplicationRegistration>,
  ) {}

  /** Opens the views and waits until each holds the full current set. */
  static async open(
    nc: NatsConnection,
    topology: Topology,
    onInvalid?: (key: string, error: Error) => void,
  ): Promise<Registry> {
    const kinds = registrationKinds(topology);
    const [repositories, clusters, applications] = await Promise.all([
      openBucket(nc, kinds.repositories.bucket),
      openBucket(nc, kinds.clusters.bucket),
      openBucket(nc, kinds.applications.bucket),
    ]);
    const registry = new Registry(
      new RegistryView(repositories, kinds.repositories.schema, onInvalid),
      new RegistryView(clusters, kinds.clusters.schema, onInvalid),
      new RegistryView(applications, kinds.applications.schema, onInvalid),
    );
    await Promise.all([
      registry.repositories.ready,
      registry.clusters.ready,
      registry.applications.ready,
    ]);
    return registry;
  }

  /**
   * What an agent sees: its own cluster's registration and the applications (any of which
   * may name its cluster); no repositories, and no other cluster's registration. The
   * buckets are opened, not created: the control plane made them, and an agent may not.
   */
  static async openForAgent(
    nc: NatsConnection,
    topology: Topology,
    cluster: string,
    onInvalid?: (key: string, error: Error) => void,
  ): Promise<Registry> {
    const kinds = registrationKinds(topology);
    const kvm = new Kvm(nc);
    const [clusters, applications] = await Promise.all([
      kvm.open(kinds.clusters.bucket),
      kvm.open(kinds.applications.bucket),
    ]);
    const registry = new Registry(
      new RegistryView(undefined, kinds.repositories.schema),
      new RegistryView(clusters, kinds.clusters.schema, onInvalid, cluster),
      new RegistryView(applications, kinds.applications.schema, onInvalid),
    );
    await Promise.all([registry.clusters.ready, registry.applications.ready]);
    return registry;
  }

  close(): void {
    this.repositories.stop();
    this.clusters.stop();
    this.applications.stop();
  }
}
