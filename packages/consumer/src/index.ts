// @kafkit/consumer: so far the client-side partition assignors of the classic group protocol.
export * from './assignors/index.js'
