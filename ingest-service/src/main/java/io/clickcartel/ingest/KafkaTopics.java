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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Makes sure the topics the service writes to exist: tried at startup and again every few seconds until it has
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

    /** Whether both topics are known to exist (they are never deleted by the service). */
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
        Set<String> existing = admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Collection<NewTopic> missing = List.of(config.eventsTopic(), config.rejectedTopic()).stream()
                .filter(topic -> !existing.contains(topic))
                .map(topic -> new NewTopic(topic, config.topicPartitions(), config.topicReplicationFactor()))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof(
                    "created Kafka topics %s",
                    missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @PreDestroy
    void close() {
        retries.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
