/**
 * A broker target that cannot start on this machine (no Docker engine, no Java,
 * no Maven). Tests catch it and skip with its reason, so a missing tool is
 * reported as a skip and never as a silent pass.
 */
export class TargetUnavailableError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`${target} Kafka is unavailable: ${reason}`)
    this.name = 'TargetUnavailableError'
  }
}
