import { z } from 'zod';
import { env, type LogLevel } from './environment-variables';

/** What every Cairn service's configuration holds, whatever else it adds. */
export interface ServiceSettings {
  readonly service: string;
  readonly logLevel: LogLevel;
  readonly http: { readonly host: string; readonly port: number };
}

/** A configuration class: its static `load` validates the environment once, at startup. */
export interface ServiceConfigClass<Settings extends ServiceSettings> {
  new (): Settings;
  readonly service: string;
  load<C>(this: new () => C, environment: NodeJS.ProcessEnv): C;
}

/** Every problem found in the environment, one `NAME: reason` per bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration of ${service}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Thrown by a configuration's `settings` function when variables that are each valid do not
 * go together (a password without a user); `load` reports it like any other bad variable.
 */
export class ConfigProblem extends Error {
  readonly problems: readonly string[];

  /** Each problem as `NAME: reason`. */
  constructor(...problems: string[]) {
    super(problems.join('; '));
    this.name = 'ConfigProblem';
    this.problems = problems;
  }
}

const commonVariables = { CAIRN_LOG_LEVEL: env.logLevel('info') };

/**
 * Defines a service's configuration as a class, so that it is at once the type and the
 * dependency-injection token: `constructor(private readonly config: ApiConfig)`.
 *
 *     export class ApiConfig extends defineServiceConfig('api',
 *       { CAIRN_API_PORT: env.port(8080), ... },
 *       (vars) => ({ http: { host: ..., port: vars.CAIRN_API_PORT }, ... })) {}
 *
 * The schema is keyed by variable name so that every error names the variable to fix.
 */
export function defineServiceConfig<
  Shape extends z.ZodRawShape,
  Settings extends { http: ServiceSettings['http'] },
>(
  service: string,
  variables: Shape,
  settings: (values: z.output<z.ZodObject<Shape>>) => Settings,
): ServiceConfigClass<Readonly<Settings> & ServiceSettings> {
  const schema = z.object({ ...commonVariables, ...variables });

  class ServiceConfig {
    static readonly service = service;

    static load(environment: NodeJS.ProcessEnv): ServiceConfig {
      const result = schema.safeParse(environment);
      if (!result.success) {
        const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        throw new ConfigError(service, problems);
      }
      const values = result.data as z.output<z.ZodObject<Shape>> & { CAIRN_LOG_LEVEL: LogLevel };
      let derived: Settings;
      try {
        derived = settings(values);
      } catch (error) {
        if (error instanceof ConfigProblem) throw new ConfigError(service, error.problems);
        throw error;
      }
      return Object.freeze(
        Object.assign(new this(), { service, logLevel: values.CAIRN_LOG_LEVEL, ...derived }),
      );
    }
  }
  return ServiceConfig as unknown as ServiceConfigClass<Readonly<Settings> & ServiceSettings>;
}
