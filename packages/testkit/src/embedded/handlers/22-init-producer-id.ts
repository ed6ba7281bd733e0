/**
 * InitProducerId (key 22), versions 0-5 (Kafka 4.1 advertises up to 5; v6 is
 * two-phase commit). Without a transactional id, Kafka's transaction
 * coordinator hands out a new producer id with epoch 0 every time, even when
 * the request names the producer's current id and epoch (an idempotent
 * producer bumps its epoch itself); naming only one of the two is
 * INVALID_REQUEST, an empty transactional id too. Transactional ids need the
 * transaction coordinator, which the embedded broker does not have yet: they
 * get COORDINATOR_NOT_AVAILABLE.
 */
import { createInitProducerIdResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/data-errors.js'

const NO_PRODUCER_ID = -1n
const NO_PRODUCER_EPOCH = -1
/** The highest version Kafka 4.1 serves; v6 (KIP-939, two-phase commit) is not enabled there. */
const MAX_VERSION = 5

export const initProducerIdHandler = defineHandler({
  api: 'InitProducerId',
  minVersion: 0,
  maxVersion: MAX_VERSION,
  handle(request, context) {
    const failed = (errorCode: number) =>
      createInitProducerIdResponse({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH })
    const noId = request.producerId === NO_PRODUCER_ID
    const noEpoch = request.producerEpoch === NO_PRODUCER_EPOCH
    if (noId !== noEpoch) return failed(ErrorCode.INVALID_REQUEST)
    if (request.transactionalId === '') return failed(ErrorCode.INVALID_REQUEST)
    if (request.transactionalId !== null) {
      context.broker.log(
        `InitProducerId for transactional id ${request.transactionalId}`,
        new Error('the embedded broker has no transaction coordinator yet: transactional producers are not supported'),
      )
      return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    }
    return createInitProducerIdResponse({ producerId: context.cluster.allocateProducerId(), producerEpoch: 0 })
  },
})
