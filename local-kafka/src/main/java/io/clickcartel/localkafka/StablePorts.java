package io.clickcartel.localkafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for local servers that are stopped and started again on the same port (a broker taken away and brought
 * back, a service killed and restarted). A port the kernel hands out itself ({@code new ServerSocket(0)}) lies in
 * its ephemeral range, from which it also picks the local ends of outgoing connections: while the server is down,
 * any client's connection may take that port, and the restart fails with "address already in use". These ports lie
 * below that range, where only another explicit bind can take them.
 */
public final class StablePorts {

    /** Linux's file naming the range the kernel picks ephemeral ports from: "low high". */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below every usual ephemeral range (Linux 32768, BSD and macOS 49152, Windows 49152). */
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    /** Above the well-known and most commonly configured ports. */
    private static final int LOWEST = 10_000;

    private static final int ATTEMPTS = 200;

    private StablePorts() {}

    /** A port no one listens on now, on any address, and outside the kernel's ephemeral range. */
    public static int free() {
        int below = ephemeralLow();
        if (below - LOWEST < 1_000) {
            throw new IllegalStateException("the ephemeral port range starts at " + below
                    + ", leaving too few ports below it for local servers; raise its start in " + EPHEMERAL_RANGE);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no free port between " + LOWEST + " and " + (below - 1) + " after " + ATTEMPTS + " tries");
    }

    /** The start of the kernel's ephemeral port range. */
    static int ephemeralLow() {
        try {
            // line by line: Files.readString trusts the size /proc reports and read "3" of "32768 60999" here
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException notLinux) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean bindable(int port) {
        // the wildcard address: the servers listen on 0.0.0.0, which conflicts with a bind to any address
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
