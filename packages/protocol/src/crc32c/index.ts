export { crc32c, crc32cImplementation } from './crc32c.js'
