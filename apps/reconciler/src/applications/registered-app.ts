import type { ApplicationRegistration } from '@cairn/contracts';
import type { Registry } from '@cairn/registry';

/** The app's registration, if it is registered to this cluster. */
export function registrationOn(
  registry: Registry,
  cluster: string,
  app: string,
): ApplicationRegistration | undefined {
  const registration = registry.applications.get(app);
  return registration?.cluster === cluster ? registration : undefined;
}
