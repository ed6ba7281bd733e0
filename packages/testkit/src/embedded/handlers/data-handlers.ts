import type { Handler } from '../handler.js'
import { produceHandler } from './00-produce.js'
import { fetchHandler } from './01-fetch.js'
import { listOffsetsHandler } from './02-list-offsets.js'
import { deleteRecordsHandler } from './21-delete-records.js'
import { initProducerIdHandler } from './22-init-producer-id.js'
import { offsetForLeaderEpochHandler } from './23-offset-for-leader-epoch.js'
import { describeProducersHandler } from './61-describe-producers.js'

/** The data APIs of the embedded broker (see each handler file for its versions and behaviour). */
export const dataHandlers: Handler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  deleteRecordsHandler,
  initProducerIdHandler,
  offsetForLeaderEpochHandler,
  describeProducersHandler,
] as Handler[]
