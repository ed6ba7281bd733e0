import type { Handler } from '../handler.js'

/** The group APIs of the embedded broker (see each handler file for its versions and behaviour). */
export const groupHandlers: Handler[] = []
