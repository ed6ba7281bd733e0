import type { Handler } from '../handler.js'
import { addPartitionsToTxnHandler } from './24-add-partitions-to-txn.js'
import { addOffsetsToTxnHandler } from './25-add-offsets-to-txn.js'
import { endTxnHandler } from './26-end-txn.js'
import { txnOffsetCommitHandler } from './28-txn-offset-commit.js'
import { describeTransactionsHandler } from './65-describe-transactions.js'
import { listTransactionsHandler } from './66-list-transactions.js'

/** The transaction coordinator APIs of the embedded broker (see each handler file for its versions and behaviour). */
export const transactionHandlers: Handler[] = [
  addPartitionsToTxnHandler,
  addOffsetsToTxnHandler,
  endTxnHandler,
  txnOffsetCommitHandler,
  describeTransactionsHandler,
  listTransactionsHandler,
] as Handler[]
