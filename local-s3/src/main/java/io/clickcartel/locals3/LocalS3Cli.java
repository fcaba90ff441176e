package io.clickcartel.locals3;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./clickcartel s3}: the local S3 API server in the foreground, for a local lake on {@code s3a://} (the demo's
 * {@code --lake s3a://…}). Prints the settings the services need to reach it, then runs until stopped.
 */
@Command(
        name = "local-s3",
        description = "A real S3 API server (S3Proxy) on 127.0.0.1, in the foreground until Ctrl-C or SIGTERM. "
                + "Objects live in its memory: they are gone when it stops.")
public final class LocalS3Cli implements Callable<Integer> {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    boolean help;

    @Option(
            names = "--port",
            defaultValue = "${env:CLICKCARTEL_S3_PORT:-9000}",
            description = "where it listens (default: $CLICKCARTEL_S3_PORT, else 9000)")
    int port;

    @Option(
            names = "--dir",
            defaultValue = "${env:CLICKCARTEL_S3_DIR:-run/s3}",
            description = "its settings and log (default: $CLICKCARTEL_S3_DIR, else run/s3)")
    Path dir;

    @Option(
            names = "--bucket",
            split = ",",
            defaultValue = "clickcartel",
            description = "buckets to create, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> buckets;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalS3Cli()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free: S3Proxy takes it next
        } catch (IOException taken) {
            spec.commandLine().getErr().println("local-s3: port " + port + " is in use (--port, CLICKCARTEL_S3_PORT)");
            return CommandLine.ExitCode.USAGE;
        }
        LocalS3Server server = LocalS3Server.start(dir, port, buckets.toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        out.println("local S3 ready on " + server.endpoint() + ", buckets " + String.join(", ", buckets) + " (log: "
                + dir.resolve("s3proxy.log") + ")");
        out.println("services reach it with:");
        out.println("  CLICKCARTEL_SPARK_CONF=" + server.sparkConf());
        out.println("  AWS_ACCESS_KEY_ID=" + LocalS3Server.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY="
                + LocalS3Server.SECRET_KEY);
        out.flush();
        server.awaitExit();
        spec.commandLine().getErr().println("local-s3: the server stopped");
        return CommandLine.ExitCode.SOFTWARE;
    }
}
