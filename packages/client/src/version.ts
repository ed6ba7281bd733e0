export const KAFKIT_VERSION = '0.1.0'
