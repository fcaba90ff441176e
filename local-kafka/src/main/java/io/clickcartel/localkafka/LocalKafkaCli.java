package io.clickcartel.localkafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the local broker for the local run.
 *
 * <pre>
 *   start   start in the background, wait until ready, print the bootstrap servers
 *   run     run in the foreground until Ctrl-C
 *   stop    stop a broker started with 'start'
 *   status  say whether it runs
 * </pre>
 * Settings: {@code CLICKCARTEL_KAFKA_PORT} (9092), {@code CLICKCARTEL_KAFKA_CONTROLLER_PORT} (9093),
 * {@code CLICKCARTEL_KAFKA_DIR} (run/kafka), {@code CLICKCARTEL_KAFKA_HEAP} (512m).
 */
public final class LocalKafkaCli {

    private final Path dir = Path.of(env("CLICKCARTEL_KAFKA_DIR", "run/kafka"));
    private final int port = Integer.parseInt(env("CLICKCARTEL_KAFKA_PORT", "9092"));
    private final int controllerPort = Integer.parseInt(env("CLICKCARTEL_KAFKA_CONTROLLER_PORT", "9093"));
    private final String heap = env("CLICKCARTEL_KAFKA_HEAP", "512m");

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        LocalKafkaCli cli = new LocalKafkaCli();
        try {
            switch (command) {
                case "start" -> cli.start();
                case "run" -> cli.run();
                case "stop" -> cli.stop();
                case "status" -> System.exit(cli.status() ? 0 : 3);
                default -> {
                    System.err.println("usage: local-kafka start|run|stop|status");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(1);
        }
    }

    private void start() throws IOException {
        if (runningPid().isPresent()) {
            System.out.println("Kafka already running (pid " + runningPid().get() + ") at 127.0.0.1:" + port);
            return;
        }
        LocalKafkaBroker broker = broker(false).start();
        Files.writeString(pidFile(), Long.toString(broker.pid()));
        broker.detach();
        System.out.println("Kafka ready at " + broker.bootstrapServers() + " (log: " + broker.logFile() + ")");
    }

    private void run() throws InterruptedException {
        LocalKafkaBroker broker = broker(true).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }));
        System.out.println("Kafka ready at " + broker.bootstrapServers() + "; Ctrl-C stops it");
        stopped.await();
    }

    private void stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> broker = runningPid().flatMap(ProcessHandle::of);
        if (broker.isEmpty()) {
            System.out.println("Kafka is not running");
            Files.deleteIfExists(pidFile());
            return;
        }
        broker.get().destroy();
        try {
            broker.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            broker.get().destroyForcibly();
        }
        Files.deleteIfExists(pidFile());
        System.out.println("Kafka stopped");
    }

    private boolean status() {
        Optional<Long> pid = runningPid();
        System.out.println(pid.map(p -> "Kafka running (pid " + p + ") at 127.0.0.1:" + port)
                .orElse("Kafka is not running"));
        return pid.isPresent();
    }

    private LocalKafkaBroker broker(boolean exitWithParent) {
        return LocalKafkaBroker.builder(dir)
                .port(port)
                .controllerPort(controllerPort)
                .heap(heap)
                .exitWithParent(exitWithParent)
                .startTimeout(Duration.ofSeconds(120))
                .build();
    }

    private Optional<Long> runningPid() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path pidFile() {
        return dir.resolve("broker.pid");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
