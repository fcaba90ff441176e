package io.clickcartel.ingest;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Makes sure the topics the service writes to exist and keep records for the configured retention: tried at startup and again every few seconds until it has
 * succeeded once, in the background, so neither startup nor a health probe waits on the cluster.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

    private final IngestConfig.Kafka config;
    private final Admin admin;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-topics");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean present;

    public KafkaTopics(IngestConfig config) {
        this.config = config.kafka();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                this.config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) CALL_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) CALL_TIMEOUT.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "clickcartel-ingest-admin"));
    }

    /** Starts creating what is missing, retrying until done. */
    void ensureInBackground() {
        retries.execute(this::attempt);
    }

    /** Whether both topics are known to exist, with their retention set (the service never deletes them). */
    public boolean present() {
        return present;
    }

    private void attempt() {
        try {
            createMissing();
            present = true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Kafka topics not ensured yet: %s", e.toString());
            retries.schedule(this::attempt, RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void createMissing() throws ExecutionException, InterruptedException, TimeoutException {
        List<String> topics = List.of(config.eventsTopic(), config.rejectedTopic());
        String retention = Long.toString(config.topicRetention().toMillis());
        Set<String> existing = admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Collection<NewTopic> missing = topics.stream()
                .filter(topic -> !existing.contains(topic))
                .map(topic -> new NewTopic(topic, config.topicPartitions(), config.topicReplicationFactor())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retention)))
                .toList();
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof(
                        "created Kafka topics %s, keeping records for %s",
                        missing.stream().map(NewTopic::name).toList(), config.topicRetention());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        setRetention(topics, retention);
    }

    /** A topic made by someone else (a producer's auto-creation, an operator) gets the configured retention too. */
    private void setRetention(List<String> topics, String retention)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry current = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (current == null || !retention.equals(current.value())) {
                LOG.infof(
                        "Kafka topic %s keeps records for %s ms: setting %s ms",
                        resource.name(), current == null ? "?" : current.value(), retention);
                changes.put(
                        resource,
                        List.of(new AlterConfigOp(
                                new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retention),
                                AlterConfigOp.OpType.SET)));
            }
        });
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void close() {
        retries.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
