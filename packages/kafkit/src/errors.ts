import { AggregateKafkaError } from '@kafkit/client'
import type { RecordMetadata } from '@kafkit/producer'
import type { KafkaError } from '@kafkit/protocol'

/** What happened to one record of a `send` or `sendBatch`, in the order given. */
export type RecordOutcome =
  | { status: 'fulfilled'; value: RecordMetadata }
  | { status: 'rejected'; topic: string; index: number; reason: KafkaError }

/**
 * Some records of a `send` or `sendBatch` could not be delivered. `outcomes`
 * lists every record in order, acknowledged or failed, so nothing goes unreported.
 */
export class ProducerSendError extends AggregateKafkaError {
  constructor(readonly outcomes: readonly RecordOutcome[]) {
    const failed = outcomes.filter((o): o is Extract<RecordOutcome, { status: 'rejected' }> => o.status === 'rejected')
    super(
      `${failed.length} of ${outcomes.length} record(s) failed`,
      failed.map((o) => ({ entry: `${o.topic} message ${o.index}`, error: o.reason })),
    )
  }
}
