import { HealthAssessment } from '../health-status';
import { Condition, describeCondition, findCondition, KubeObject } from '../kube-object';

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number };
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

export type Pod = KubeObject & {
  spec?: { restartPolicy?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
};

/**
 * Waiting reasons that will not clear by themselves. gitops-engine matches Err*, *Error and
 * *BackOff (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError...);
 * InvalidImageName matches none of these yet is just as stuck, so it is named.
 */
function isStuck(reason: string | undefined): reason is string {
  if (!reason) return false;
  return (
    reason.startsWith('Err') ||
    reason.endsWith('Error') ||
    reason.endsWith('BackOff') ||
    reason === 'InvalidImageName'
  );
}

function joined(parts: (string | undefined)[], separator = '; '): string | undefined {
  const present = parts.filter((part) => part);
  return present.length > 0 ? present.join(separator) : undefined;
}

function terminationMessage(name: string | undefined, terminated: ContainerState['terminated']) {
  if (!terminated) return undefined;
  if (terminated.message) return `container "${name}": ${terminated.message}`;
  if (terminated.reason === 'OOMKilled') return `container "${name}" was OOMKilled`;
  if (!terminated.exitCode) return undefined;
  return `container "${name}" failed with exit code ${terminated.exitCode}`;
}

export function podHealth({ spec, status = {} }: Pod): HealthAssessment {
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  // Unlike gitops-engine, this holds for every restart policy: Cairn has no sync hooks that a
  // premature Degraded could fail, and a pod that cannot pull its image is stuck either way.
  const stuck = containers.filter((c) => isStuck(c.state?.waiting?.reason));
  if (stuck.length > 0) {
    return {
      status: 'Degraded',
      message: joined(
        stuck.map(({ name, state }) =>
          joined([`container "${name}"`, state?.waiting?.reason, state?.waiting?.message], ': '),
        ),
      ),
    };
  }
  switch (status.phase) {
    case 'Pending': {
      // An unschedulable pod says why only in its PodScheduled condition.
      const scheduled = findCondition(status.conditions, 'PodScheduled');
      const why = scheduled?.status === 'False' ? describeCondition(scheduled) : undefined;
      return { status: 'Progressing', message: status.message ?? why };
    }
    case 'Succeeded':
      return { status: 'Healthy', message: status.message };
    case 'Failed': {
      const pod = joined([status.reason, status.message], ': ');
      const fromContainers = containers.map((c) => terminationMessage(c.name, c.state?.terminated));
      return { status: 'Degraded', message: pod ?? joined(fromContainers) };
    }
    case 'Running':
      return runningPodHealth(spec?.restartPolicy ?? 'Always', status);
    default:
      return {
        status: 'Unknown',
        message:
          status.message ?? (status.phase ? `Pod phase is "${status.phase}"` : 'Pod has no phase'),
      };
  }
}

function runningPodHealth(
  restartPolicy: string,
  status: NonNullable<Pod['status']>,
): HealthAssessment {
  // A pod that is meant to exit (OnFailure, Never) is healthy only once it has succeeded.
  if (restartPolicy !== 'Always') {
    return { status: 'Progressing', message: status.message };
  }
  if (findCondition(status.conditions, 'Ready')?.status === 'True') {
    return { status: 'Healthy', message: status.message };
  }
  const notReady = (status.containerStatuses ?? []).filter((c) => !c.ready);
  // A container that crashed and came back unready is between two CrashLoopBackOffs: calling it
  // Progressing would make the app flap between Degraded and Progressing.
  const crashed = notReady.filter((c) => c.lastState?.terminated);
  if (crashed.length > 0) {
    const why = crashed.map(
      ({ name, lastState }) =>
        `container "${name}" is not ready after it terminated (${lastState?.terminated?.reason ?? 'unknown reason'}, exit code ${lastState?.terminated?.exitCode ?? 'unknown'})`,
    );
    return { status: 'Degraded', message: joined(why) };
  }
  const names = notReady.map((c) => `"${c.name}"`).join(', ');
  return {
    status: 'Progressing',
    message: status.message ?? (names ? `Waiting for containers to be ready: ${names}` : undefined),
  };
}
