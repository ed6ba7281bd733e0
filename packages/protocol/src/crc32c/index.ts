export { crc32c, crc32cImplementation } from './crc32c.js'
export { crc32cJs } from './crc32c-js.js'
