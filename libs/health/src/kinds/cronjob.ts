import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

export type CronJob = KubeObject & {
  spec?: { suspend?: boolean };
  status?: {
    active?: unknown[];
    lastScheduleTime?: string | Date;
    lastSuccessfulTime?: string | Date;
  };
};

const time = (value: string | Date) => new Date(value).getTime();

/**
 * A CronJob's own status tells whether its last run failed: once no job is active, a schedule
 * newer than the last success means the last job did not succeed. Its Jobs carry the details.
 */
export function cronJobHealth({ spec, status = {} }: CronJob): HealthAssessment {
  if (spec?.suspend) return { status: 'Suspended', message: 'CronJob is suspended' };
  const active = status.active?.length ?? 0;
  if (active > 0) return { status: 'Healthy', message: `${active} job(s) running` };
  const { lastScheduleTime: scheduled, lastSuccessfulTime: succeeded } = status;
  if (scheduled && (!succeeded || time(scheduled) > time(succeeded))) {
    return {
      status: 'Degraded',
      message: `The job scheduled at ${new Date(scheduled).toISOString()} did not complete successfully`,
    };
  }
  if (succeeded) {
    return {
      status: 'Healthy',
      message: `Last job succeeded at ${new Date(succeeded).toISOString()}`,
    };
  }
  return { status: 'Healthy' };
}
