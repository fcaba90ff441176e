package io.clickcartel.ingest;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** Talks to the cluster as an administrator: reachability for readiness, and the topics the service writes to. */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final IngestConfig.Kafka config;
    private final Admin admin;
    private volatile boolean topicsPresent;

    public KafkaTopics(IngestConfig config) {
        this.config = config.kafka();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, "clickcartel-ingest-admin"));
    }

    /** Whether a broker answers now; on the first success also makes sure the topics exist. */
    public boolean reachable() {
        try {
            boolean up = !admin.describeCluster().nodes().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
            if (up && !topicsPresent) {
                createMissingTopics();
            }
            return up;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void createMissingTopics() throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Collection<NewTopic> missing = List.of(config.eventsTopic(), config.rejectedTopic()).stream()
                .filter(topic -> !existing.contains(topic))
                .map(topic -> new NewTopic(topic, config.topicPartitions(), config.topicReplicationFactor()))
                .toList();
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof("created Kafka topics %s", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        topicsPresent = true;
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
