package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

import java.nio.ByteBuffer;
import java.util.Locale;

/** write-batch / write-control: record batches (magic 2) and message sets (magic 0/1) as the Java client builds them. */
final class BatchWriter {
    private BatchWriter() {
    }

    static ObjectNode writeBatch(JsonNode request) {
        byte magic = (byte) Fields.int32(request, "magic", RecordBatch.CURRENT_MAGIC_VALUE);
        if (magic < RecordBatch.MAGIC_VALUE_V0 || magic > RecordBatch.MAGIC_VALUE_V2) {
            throw new IllegalArgumentException("magic must be 0, 1 or 2");
        }
        TimestampType timestampType = timestampType(Fields.text(request, "timestampType", "create"));
        // The builder would stamp LOG_APPEND_TIME batches with the wall clock; make the caller choose.
        long logAppendTime = timestampType == TimestampType.LOG_APPEND_TIME
            ? Fields.int64(request, "logAppendTime")
            : RecordBatch.NO_TIMESTAMP;
        MemoryRecordsBuilder builder = MemoryRecords.builder(
            ByteBuffer.allocate(1024),
            magic,
            compression(request),
            timestampType,
            Fields.int64(request, "baseOffset", 0L),
            logAppendTime,
            Fields.int64(request, "producerId", RecordBatch.NO_PRODUCER_ID),
            Fields.int16(request, "producerEpoch", RecordBatch.NO_PRODUCER_EPOCH),
            Fields.int32(request, "baseSequence", RecordBatch.NO_SEQUENCE),
            Fields.bool(request, "transactional", false),
            false,
            Fields.int32(request, "partitionLeaderEpoch", RecordBatch.NO_PARTITION_LEADER_EPOCH));

        JsonNode records = Fields.required(request, "records");
        if (!records.isArray()) {
            throw new IllegalArgumentException("field 'records' must be an array");
        }
        for (JsonNode record : records) {
            long timestamp = Fields.int64(record, "timestamp", RecordBatch.NO_TIMESTAMP);
            byte[] key = Fields.hexOrNull(record, "key");
            byte[] value = Fields.hexOrNull(record, "value");
            Header[] headers = headers(record);
            if (Fields.present(record, "offset")) {
                // Explicit offsets allow the gaps that compaction leaves in a batch.
                builder.appendWithOffset(Fields.int64(record, "offset"), timestamp, key, value, headers);
            } else {
                builder.append(timestamp, key, value, headers);
            }
        }
        return hexReply(builder.build());
    }

    static ObjectNode writeControl(JsonNode request) {
        ControlRecordType type = switch (Fields.text(request, "type").toLowerCase(Locale.ROOT)) {
            case "commit" -> ControlRecordType.COMMIT;
            case "abort" -> ControlRecordType.ABORT;
            default -> throw new IllegalArgumentException("type must be 'commit' or 'abort'");
        };
        MemoryRecords records = MemoryRecords.withEndTransactionMarker(
            Fields.int64(request, "baseOffset", 0L),
            Fields.int64(request, "timestamp"),
            Fields.int32(request, "partitionLeaderEpoch", RecordBatch.NO_PARTITION_LEADER_EPOCH),
            Fields.int64(request, "producerId"),
            Fields.int16(request, "producerEpoch", RecordBatch.NO_PRODUCER_EPOCH),
            new EndTransactionMarker(type, Fields.int32(request, "coordinatorEpoch", 0)));
        return hexReply(records);
    }

    private static ObjectNode hexReply(MemoryRecords records) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("hex", Hex.encode(records.buffer()));
        return reply;
    }

    private static Compression compression(JsonNode request) {
        CompressionType type = CompressionType.forName(Fields.text(request, "compression", "none"));
        if (!Fields.present(request, "compressionLevel")) {
            return Compression.of(type).build();
        }
        int level = Fields.int32(request, "compressionLevel", 0);
        return switch (type) {
            case GZIP -> Compression.gzip().level(level).build();
            case LZ4 -> Compression.lz4().level(level).build();
            case ZSTD -> Compression.zstd().level(level).build();
            default -> throw new IllegalArgumentException(type.name + " has no compression level");
        };
    }

    static TimestampType timestampType(String name) {
        return switch (name) {
            case "create" -> TimestampType.CREATE_TIME;
            case "logAppend" -> TimestampType.LOG_APPEND_TIME;
            case "none" -> TimestampType.NO_TIMESTAMP_TYPE;
            default -> throw new IllegalArgumentException("timestampType must be create, logAppend or none");
        };
    }

    static String timestampTypeName(TimestampType type) {
        return switch (type) {
            case CREATE_TIME -> "create";
            case LOG_APPEND_TIME -> "logAppend";
            case NO_TIMESTAMP_TYPE -> "none";
        };
    }

    private static Header[] headers(JsonNode record) {
        if (!Fields.present(record, "headers")) {
            return Record.EMPTY_HEADERS;
        }
        JsonNode list = record.get("headers");
        if (!list.isArray()) {
            throw new IllegalArgumentException("field 'headers' must be an array");
        }
        Header[] headers = new Header[list.size()];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = new RecordHeader(Fields.text(list.get(i), "key"), Fields.hexOrNull(list.get(i), "value"));
        }
        return headers;
    }
}
