package io.clickcartel.gold;

import static org.awaitility.Awaitility.await;

import io.clickcartel.localkafka.StablePorts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Spark standalone cluster on this machine: one master and {@code workers} workers, each its own JVM
 * started from the Spark jars on this test's class path (no Spark distribution is installed: SPARK_HOME is a
 * folder with the RELEASE marker and an empty jars/, and executors get their class path from the driver's
 * {@code spark.executor.extraClassPath}).
 */
final class StandaloneCluster implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final Path dir;
    private final int port;

    StandaloneCluster(Path dir, int workers) throws IOException {
        this.dir = dir;
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark 3.5.7 (jars from the build's class path)\n");
        port = StablePorts.free();
        start(
                "master",
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                "" + port,
                "--webui-port",
                "" + StablePorts.free());
        awaitPort(port);
        for (int i = 1; i <= workers; i++) {
            start(
                    "worker-" + i,
                    "org.apache.spark.deploy.worker.Worker",
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    "1",
                    "--memory",
                    "1g",
                    "--webui-port",
                    "" + StablePorts.free(),
                    "--work-dir",
                    Files.createDirectories(dir.resolve("work-" + i)).toString(),
                    masterUrl());
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** Runs {@code mainClass} as a driver JVM with this test's class path; returns its exit code. */
    int runDriver(Path log, Class<?> mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = javaCommand(mainClass.getName());
        command.addAll(List.of(args));
        Process driver = process(command, log);
        return driver.waitFor();
    }

    private void start(String name, String mainClass, String... args) throws IOException {
        List<String> command = javaCommand(mainClass);
        command.addAll(List.of(args));
        processes.add(process(command, dir.resolve(name + ".log")));
    }

    private Process process(List<String> command, Path log) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        return builder.start();
    }

    private static List<String> javaCommand(String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        // the same --add-opens as this test JVM (the parent pom's spark.add-opens)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens"))
                .forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    private static void awaitPort(int port) {
        await("the Spark master listening on " + port)
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> {
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) { // workers before the master
            processes.get(i).destroy();
        }
        for (Process process : processes) {
            process.waitFor();
        }
    }
}
