package io.clickcartel.localkafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts and stops the local broker for the local run: {@code start}, {@code run}, {@code stop}, {@code status}
 * ({@code --help} says what each does). Settings come from the environment, as for the services.
 */
@Command(
        name = "local-kafka",
        description = "A real single-node KRaft broker for the local run.",
        footer = {
            "",
            "Settings (environment, default):",
            "  CLICKCARTEL_KAFKA_PORT             9092",
            "  CLICKCARTEL_KAFKA_CONTROLLER_PORT  9093",
            "  CLICKCARTEL_KAFKA_DIR              run/kafka",
            "  CLICKCARTEL_KAFKA_HEAP             512m"
        })
public final class LocalKafkaCli implements Runnable {

    /** Exit code of {@code status} when no broker runs. */
    static final int NOT_RUNNING = 3;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Path dir = Path.of(env("CLICKCARTEL_KAFKA_DIR", "run/kafka"));
    private final int port = Integer.parseInt(env("CLICKCARTEL_KAFKA_PORT", "9092"));
    private final int controllerPort = Integer.parseInt(env("CLICKCARTEL_KAFKA_CONTROLLER_PORT", "9093"));
    private final String heap = env("CLICKCARTEL_KAFKA_HEAP", "512m");

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new LocalKafkaCli());
        // a broker that cannot start or stop is reported in one line, not a stack trace
        commandLine.setExecutionExceptionHandler((e, cli, parsed) -> {
            cli.getErr().println("local-kafka: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: start, run, stop or status");
    }

    @Command(name = "start", description = "Start in the background, wait until ready, print the bootstrap servers.")
    int start(
            @Option(
                            names = {"-h", "--help"},
                            usageHelp = true,
                            description = "show this help and exit")
                    boolean help)
            throws IOException {
        if (runningPid().isPresent()) {
            System.out.println("Kafka already running (pid " + runningPid().get() + ") at 127.0.0.1:" + port);
            return CommandLine.ExitCode.OK;
        }
        LocalKafkaBroker broker = broker(false).start();
        Files.writeString(pidFile(), Long.toString(broker.pid()));
        broker.detach();
        System.out.println("Kafka ready at " + broker.bootstrapServers() + " (log: " + broker.logFile() + ")");
        return CommandLine.ExitCode.OK;
    }

    @Command(name = "run", description = "Run in the foreground until Ctrl-C.")
    int run(
            @Option(
                            names = {"-h", "--help"},
                            usageHelp = true,
                            description = "show this help and exit")
                    boolean help)
            throws InterruptedException {
        LocalKafkaBroker broker = broker(true).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }));
        System.out.println("Kafka ready at " + broker.bootstrapServers() + "; Ctrl-C stops it");
        stopped.await();
        return CommandLine.ExitCode.OK;
    }

    @Command(name = "stop", description = "Stop a broker started with 'start'.")
    int stop(
            @Option(
                            names = {"-h", "--help"},
                            usageHelp = true,
                            description = "show this help and exit")
                    boolean help)
            throws IOException, InterruptedException {
        Optional<ProcessHandle> broker = runningPid().flatMap(ProcessHandle::of);
        if (broker.isEmpty()) {
            System.out.println("Kafka is not running");
            Files.deleteIfExists(pidFile());
            return CommandLine.ExitCode.OK;
        }
        broker.get().destroy();
        try {
            broker.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            broker.get().destroyForcibly();
        }
        Files.deleteIfExists(pidFile());
        System.out.println("Kafka stopped");
        return CommandLine.ExitCode.OK;
    }

    @Command(name = "status", description = "Say whether it runs (exit 0), or not (exit 3).")
    int status(
            @Option(
                            names = {"-h", "--help"},
                            usageHelp = true,
                            description = "show this help and exit")
                    boolean help) {
        Optional<Long> pid = runningPid();
        System.out.println(pid.map(p -> "Kafka running (pid " + p + ") at 127.0.0.1:" + port)
                .orElse("Kafka is not running"));
        return pid.isPresent() ? CommandLine.ExitCode.OK : NOT_RUNNING;
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
