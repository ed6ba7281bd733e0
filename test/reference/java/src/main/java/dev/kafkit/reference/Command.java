package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One protocol command: a request object in, the reply fields (without "id") out. */
@FunctionalInterface
interface Command {
    ObjectNode run(JsonNode request) throws Exception;
}
