package dev.kafkit.reference;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Line protocol: argv[0] names the command; every stdin line is one JSON request and gets
 * exactly one JSON reply line on stdout, in order, echoing the request's "id". A request
 * that fails gets {"id":..., "error": "..."} and the process carries on.
 */
public final class Main {
    /** NaN/Infinity are accepted so float64 fields can carry them (JSON itself cannot). */
    static final ObjectMapper JSON = JsonMapper.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();

    private static final Map<String, Command> COMMANDS = Map.of(
        "encode", MessageCommands::encode,
        "decode", MessageCommands::decode,
        "write-batch", BatchWriter::writeBatch,
        "write-control", BatchWriter::writeControl,
        "read-batches", BatchReader::readBatches,
        "murmur2", Murmur2Command::murmur2,
        "consume-check", ConsumeCheckCommand::consumeCheck,
        "assign", AssignCommand::assign,
        "group-consume", GroupConsumeCommand::groupConsume);

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        // stdout is the protocol channel: keep a private handle to it and send anything
        // else that prints to System.out (libraries, stray debugging) to stderr.
        Writer out = new BufferedWriter(
            new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
        System.setOut(System.err);

        Command command = args.length == 1 ? COMMANDS.get(args[0]) : null;
        if (command == null) {
            System.err.println("usage: Main <" + String.join("|", COMMANDS.keySet()) + ">");
            System.exit(2);
        }

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        while ((line = in.readLine()) != null) {
            out.write(JSON.writeValueAsString(handle(command, line)));
            out.write('\n');
            // Flush only before we would block, so a burst of requests is answered in big writes
            // while an interactive caller still sees every reply promptly.
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
    }

    private static ObjectNode handle(Command command, String line) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        JsonNode request = null;
        try {
            request = JSON.readTree(line);
            if (request == null || !request.isObject()) {
                throw new IllegalArgumentException("request line is not a JSON object");
            }
            reply.set("id", request.has("id") ? request.get("id") : NullNode.instance);
            reply.setAll(command.run(request));
        } catch (Throwable e) { // NOPMD: one bad line must never take the process down
            ObjectNode failure = JsonNodeFactory.instance.objectNode();
            failure.set("id", request != null && request.has("id") ? request.get("id") : NullNode.instance);
            failure.put("error", describe(e));
            return failure;
        }
        return reply;
    }

    /** Exception chain as one line, without reflection wrappers, so the caller sees Kafka's own message. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvocationTargetException) {
                continue;
            }
            if (text.length() > 0) {
                text.append(" <- caused by ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
