export * from './serde.js'
