package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one of the client's assignors the way a group leader's ConsumerCoordinator does: each
 * member's Subscription is serialized (the JoinGroup metadata it would send), read back, given
 * its group.instance.id and put into a HashMap in member order; the assignor's result is
 * serialized per member (the SyncGroup assignment).
 */
final class AssignCommand {
    private static final Map<String, ConsumerPartitionAssignor> INSTANCES = new HashMap<>();

    private AssignCommand() {
    }

    static ObjectNode assign(JsonNode request) {
        String name = Fields.text(request, "assignor");
        short version = Fields.int16(request, "version", (short) 3);
        Cluster cluster = cluster(Fields.required(request, "topics"));

        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        ArrayNode subscriptionHex = reply.putArray("subscriptions");
        Map<String, Subscription> subscriptions = new HashMap<>();
        List<String> memberIds = new ArrayList<>();
        for (JsonNode member : Fields.required(request, "members")) {
            String memberId = Fields.text(member, "memberId");
            Subscription sent = new Subscription(
                strings(member.get("topics")),
                userData(name, member),
                partitions(member.get("ownedPartitions")),
                Fields.int32(member, "generationId", -1),
                Optional.ofNullable(Fields.present(member, "rackId") ? Fields.text(member, "rackId") : null));
            ByteBuffer bytes = ConsumerProtocol.serializeSubscription(sent, version);
            subscriptionHex.add(Hex.encode(bytes.duplicate()));
            Subscription received = ConsumerProtocol.deserializeSubscription(bytes);
            received.setGroupInstanceId(Optional.ofNullable(
                Fields.present(member, "groupInstanceId") ? Fields.text(member, "groupInstanceId") : null));
            subscriptions.put(memberId, received);
            memberIds.add(memberId);
        }

        // "instance" names an assignor kept for the rest of the run, as a long-lived leader keeps
        // its own (the sticky assignors remember the highest generation they have seen).
        ConsumerPartitionAssignor assignor = Fields.present(request, "instance")
            ? INSTANCES.computeIfAbsent(name + "/" + Fields.text(request, "instance"), key -> assignor(name))
            : assignor(name);
        GroupAssignment result = assignor.assign(cluster, new GroupSubscription(subscriptions));
        ObjectNode assignments = reply.putObject("assignments");
        for (String memberId : memberIds) {
            Assignment assignment = result.groupAssignment().get(memberId);
            ObjectNode out = assignments.putObject(memberId);
            if (assignment == null) {
                out.putNull("hex");
                continue;
            }
            ArrayNode list = out.putArray("partitions");
            for (TopicPartition tp : assignment.partitions()) {
                list.addObject().put("topic", tp.topic()).put("partition", tp.partition());
            }
            out.put("hex", Hex.encode(ConsumerProtocol.serializeAssignment(assignment, version)));
        }
        return reply;
    }

    private static ConsumerPartitionAssignor assignor(String name) {
        switch (name) {
            case "range":
                return new RangeAssignor();
            case "roundrobin":
                return new RoundRobinAssignor();
            case "sticky":
                return new StickyAssignor();
            case "cooperative-sticky":
                return new CooperativeStickyAssignor();
            default:
                throw new IllegalArgumentException("unknown assignor '" + name + "'");
        }
    }

    /**
     * Explicit "userData" hex (null allowed) wins; otherwise "history" ({partitions, generationId})
     * goes through the assignor's onAssignment and subscriptionUserData, as on a real member.
     */
    private static ByteBuffer userData(String name, JsonNode member) {
        if (member.has("userData")) {
            return Fields.present(member, "userData") ? ByteBuffer.wrap(Hex.decode(Fields.text(member, "userData"))) : null;
        }
        ConsumerPartitionAssignor assignor = assignor(name);
        JsonNode history = member.get("history");
        if (history != null && !history.isNull()) {
            int generation = Fields.int32(history, "generationId", -1);
            assignor.onAssignment(
                new Assignment(partitions(history.get("partitions"))),
                new ConsumerGroupMetadata("group", generation, Fields.text(member, "memberId"), Optional.empty()));
        }
        return assignor.subscriptionUserData(new HashSet<>(strings(member.get("topics"))));
    }

    private static Cluster cluster(JsonNode topics) {
        List<Node> nodes = new ArrayList<>();
        List<PartitionInfo> partitions = new ArrayList<>();
        for (JsonNode topic : topics) {
            String topicName = Fields.text(topic, "name");
            for (JsonNode partition : Fields.required(topic, "partitions")) {
                List<Node> replicas = new ArrayList<>();
                for (JsonNode rack : Fields.required(partition, "racks")) {
                    Node node = new Node(nodes.size(), "broker" + nodes.size(), 9092, rack.isNull() ? null : rack.asText());
                    nodes.add(node);
                    replicas.add(node);
                }
                Node[] replicaArray = replicas.toArray(new Node[0]);
                partitions.add(new PartitionInfo(topicName, Fields.int32(partition, "partition", 0),
                    replicas.isEmpty() ? null : replicas.get(0), replicaArray, replicaArray));
            }
        }
        return new Cluster("cluster", nodes, partitions, Collections.emptySet(), Collections.emptySet());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            for (JsonNode value : array) {
                values.add(value.asText());
            }
        }
        return values;
    }

    private static List<TopicPartition> partitions(JsonNode array) {
        List<TopicPartition> values = new ArrayList<>();
        if (array != null) {
            for (JsonNode tp : array) {
                values.add(new TopicPartition(Fields.text(tp, "topic"), Fields.int32(tp, "partition", 0)));
            }
        }
        return values;
    }
}
