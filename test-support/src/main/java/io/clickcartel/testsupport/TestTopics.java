package io.clickcartel.testsupport;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Topics a test creates before it produces, as ingest creates its own: a topic the broker auto-creates on the first
 * record's metadata request can answer NOT_LEADER_OR_FOLLOWER for minutes on a busy machine.
 */
public final class TestTopics {

    private TestTopics() {}

    /** Creates the topics and returns once the broker has them. */
    public static void create(String bootstrapServers, NewTopic... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(topics)).all().get();
        }
    }
}
