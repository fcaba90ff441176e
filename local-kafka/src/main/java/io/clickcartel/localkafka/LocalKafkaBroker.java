package io.clickcartel.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in its own JVM. Its data survives {@link #stop()} and {@link #start()}, so a
 * test can take the broker away and bring it back on the same port.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final String READY_LINE = "Kafka Server started";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final int port;
    private final int controllerPort;
    private final Duration startTimeout;
    private final boolean exitWithParent;
    private final String heap;
    private Process process;

    private LocalKafkaBroker(Builder builder) {
        this.workDir = builder.workDir.toAbsolutePath();
        this.port = builder.port == 0 ? StablePorts.free() : builder.port;
        this.controllerPort = builder.controllerPort == 0 ? StablePorts.free() : builder.controllerPort;
        this.startTimeout = builder.startTimeout;
        this.exitWithParent = builder.exitWithParent;
        this.heap = builder.heap;
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return workDir.resolve("broker.log");
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker and returns once it accepts clients; formats its storage on first start. */
    public synchronized LocalKafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        requirePortFree(port, "broker");
        requirePortFree(controllerPort, "controller");
        try {
            Files.createDirectories(workDir);
            Path config = writeConfig();
            Path log4j = copyResource("log4j2-broker.xml");
            if (!Files.exists(workDir.resolve("data").resolve("meta.properties"))) {
                format(config, log4j);
            }
            long logOffset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
            process = javaProcess(log4j, BrokerMain.class.getName(), config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
            awaitReady(logOffset);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Kafka broker in " + workDir, e);
        }
    }

    /** Stops the broker gracefully (SIGTERM), forcibly after a timeout. Its data stays. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the broker (SIGKILL): no shutdown, no flush — a crash. Its data stays, as far as it reached disk. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Freezes the broker (SIGSTOP): its sockets stay open and nothing answers, as with a hung or paused host. */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Lets a frozen broker run on (SIGCONT). */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The broker's process id, for a launcher that leaves it running. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("broker not started");
        }
        return process.pid();
    }

    /** Forgets the process without stopping it: it keeps running after this JVM exits. */
    public synchronized void detach() {
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void format(Path config, Path log4j) throws IOException {
        Process formatter = javaProcess(
                        log4j, "kafka.tools.StorageTool", "format", "-t", newClusterId(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        try {
            if (!formatter.waitFor(2, TimeUnit.MINUTES) || formatter.exitValue() != 0) {
                formatter.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage failed; see " + logFile() + "\n" + tail());
            }
        } catch (InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private void awaitReady(long logOffset) throws IOException {
        Instant deadline = Instant.now().plus(startTimeout);
        while (Instant.now().isBefore(deadline)) {
            if (logSince(logOffset).contains(READY_LINE)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                        + " while starting; see " + logFile() + "\n" + tail());
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
            }
        }
        stop();
        throw new IllegalStateException("the Kafka broker was not ready after " + startTimeout.toSeconds() + " s; see "
                + logFile() + "\n" + tail());
    }

    private String logSince(long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(logFile().toFile(), "r")) {
            long length = file.length() - offset;
            if (length <= 0) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length, 16 * 1024 * 1024)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no broker log)";
        }
    }

    private ProcessBuilder javaProcess(Path log4j, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        if (exitWithParent) {
            command.add("-D" + BrokerMain.PARENT_PID_PROPERTY + "="
                    + ProcessHandle.current().pid());
        }
        command.add("-cp");
        command.add(brokerClasspath());
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // The launching JVM's options (e.g. Spark's --add-opens) are not the broker's concern.
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder;
    }

    private Path writeConfig() throws IOException {
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("log.dirs", workDir.resolve("data").toString());
        config.setProperty("num.partitions", "3");
        config.setProperty("auto.create.topics.enable", "true");
        // One node: every internal topic has one replica.
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "5");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        Path file = workDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, "written by " + LocalKafkaBroker.class.getName());
        }
        return file;
    }

    private Path copyResource(String name) throws IOException {
        Path target = workDir.resolve(name);
        try (InputStream in = resource(name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The broker's jars (recorded at build time) plus this launcher's own location, for {@link BrokerMain}. */
    static String brokerClasspath() {
        try (InputStream in = resource("broker.classpath")) {
            String recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            Path self = Path.of(LocalKafkaBroker.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return self + java.io.File.pathSeparator + recorded;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the recorded broker classpath", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = LocalKafkaBroker.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " missing next to " + LocalKafkaBroker.class.getName()
                    + " (build the local-kafka module with Maven)");
        }
        return in;
    }

    private static void requirePortFree(int port, String role) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "port " + port + " for the Kafka " + role
                            + " is already in use on 127.0.0.1: stop whatever holds it or choose another port",
                    e);
        }
    }

    /** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding. */
    /** A Kafka cluster id; never one starting with '-', which the storage tool would read as an option. */
    static String newClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    public static final class Builder {
        private final Path workDir;
        private int port;
        private int controllerPort;
        private Duration startTimeout = Duration.ofSeconds(90);
        private boolean exitWithParent = true;
        private String heap = "512m";

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Whether the broker exits when the launching JVM does (default true; false for a long-lived broker). */
        public Builder exitWithParent(boolean exitWithParent) {
            this.exitWithParent = exitWithParent;
            return this;
        }

        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public LocalKafkaBroker build() {
            return new LocalKafkaBroker(this);
        }
    }
}
