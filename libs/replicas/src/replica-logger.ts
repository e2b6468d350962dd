/** Where replicas report (Nest's Logger fits): one structured object per line. */
export interface ReplicaLogger {
  log(message: object): void;
  warn(message: object): void;
  error(message: object): void;
}
