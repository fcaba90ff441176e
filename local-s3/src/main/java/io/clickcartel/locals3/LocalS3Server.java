package io.clickcartel.locals3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real S3 API server on loopback: S3Proxy with its filesystem backend, as a JVM of its own (its jars never meet a
 * test's classpath); {@link #hadoopSettings} point s3a at it.
 */
public final class LocalS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "local-access-key";
    public static final String SECRET_KEY = "local-secret-key";

    /** The server keeps every object in memory: enough for the test and demo lakes. */
    private static final String HEAP = "768m";

    private final Process process;
    private final int port;

    private LocalS3Server(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server on a free loopback port with one empty bucket per name in {@code buckets}; {@code dir} holds
     * its settings and log. Objects are kept in the server's memory: S3Proxy's filesystem backend does not list a
     * directory marker ({@code key/}) under its own prefix, so s3a would take every empty directory it made for
     * missing, and Spark's checkpoints start with one.
     */
    public static LocalS3Server start(Path dir, String... buckets) {
        try {
            return start(dir, freePort(), buckets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for S3Proxy", e);
        }
    }

    /** As {@link #start(Path, String...)}, on {@code port}. */
    public static LocalS3Server start(Path dir, int port, String... buckets) {
        try {
            Files.createDirectories(dir);
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=transient",
                            "jclouds.identity=unused",
                            "jclouds.credential=unused",
                            ""));
            Path log = dir.resolve("s3proxy.log");
            Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx" + HEAP,
                            "-DLOG_LEVEL=warn",
                            "-cp",
                            recordedClasspath(),
                            "org.gaul.s3proxy.Main",
                            "--properties",
                            properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            LocalS3Server server = new LocalS3Server(process, port);
            try {
                server.awaitListening(Duration.ofSeconds(60), log);
                for (String bucket : buckets) {
                    server.createBucket(bucket);
                }
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy", e);
        }
    }

    /** The s3a settings (Hadoop's, without the {@code spark.hadoop.} prefix) for this server. */
    public Map<String, String> hadoopSettings() {
        return Map.of(
                "fs.s3a.endpoint",
                endpoint(),
                "fs.s3a.path.style.access",
                "true",
                "fs.s3a.connection.ssl.enabled",
                "false",
                "fs.s3a.access.key",
                ACCESS_KEY,
                "fs.s3a.secret.key",
                SECRET_KEY,
                "fs.s3a.aws.credentials.provider",
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }

    /**
     * What a service is given to reach this server, as {@code CLICKCARTEL_SPARK_CONF}: the endpoint, path-style
     * access and plain HTTP. Its keys go in {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}.
     */
    public String sparkConf() {
        return "spark.hadoop.fs.s3a.endpoint=" + endpoint()
                + ",spark.hadoop.fs.s3a.path.style.access=true"
                + ",spark.hadoop.fs.s3a.connection.ssl.enabled=false";
    }

    /** Blocks until the server's process has ended. */
    public void awaitExit() throws InterruptedException {
        process.waitFor();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Creates a bucket with S3's PUT Bucket, signed with AWS signature version 2 as the server expects. */
    private void createBucket(String bucket) throws IOException {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            signature = Base64.getEncoder()
                    .encodeToString(
                            mac.doFinal(("PUT\n\n\n" + date + "\n/" + bucket).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA1 in this JVM", e);
        }
        HttpURLConnection put = (HttpURLConnection)
                URI.create(endpoint() + "/" + bucket).toURL().openConnection();
        put.setRequestMethod("PUT");
        put.setRequestProperty("Date", date);
        put.setRequestProperty("Authorization", "AWS " + ACCESS_KEY + ":" + signature);
        put.setFixedLengthStreamingMode(0);
        put.setDoOutput(true);
        put.getOutputStream().close();
        int status = put.getResponseCode();
        if (status != 200) {
            throw new IOException("S3Proxy answered " + status + " to creating bucket " + bucket);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitListening(Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while S3Proxy starts", e);
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on " + port + " within " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String recordedClasspath() throws IOException {
        try (InputStream in = LocalS3Server.class.getResourceAsStream("s3proxy.classpath")) {
            if (in == null) {
                throw new IOException("s3proxy.classpath missing next to " + LocalS3Server.class.getName()
                        + " (build the local-s3 module with Maven)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
