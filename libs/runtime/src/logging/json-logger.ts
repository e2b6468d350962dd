import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/environment-variables';
import { redactSecrets } from './secret-redaction';

export type JsonLogger = Logger;

export interface JsonLoggerOptions {
  service: string;
  logLevel: LogLevel;
  /** Where the lines go; standard output unless a test captures them. */
  destination?: DestinationStream;
}

/**
 * One JSON line per event: `{"level":"info","time":"...","service":"api","msg":"..."}`
 * plus the event's fields, secrets redacted.
 */
export function createJsonLogger({ service, logLevel, destination }: JsonLoggerOptions): Logger {
  return pino(
    {
      level: logLevel,
      base: { service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // On the finished line, so that nothing escapes: fields, child logger bindings
      // (which pino's formatters skip) and serialized errors alike.
      hooks: { streamWrite: redactLine },
    },
    // Synchronous writes: the last lines before process.exit() (a config error, "stopped")
    // must reach the log, and a control plane does not log enough for this to cost.
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

function redactLine(line: string): string {
  try {
    return `${JSON.stringify(redactSecrets(JSON.parse(line)))}\n`;
  } catch {
    return line;
  }
}
