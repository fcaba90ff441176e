package io.clickcartel.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class StablePortsTest {

    @Test
    void givesAPortBelowTheEphemeralRangeThatAServerCanListenOnAtOnce() throws Exception {
        for (int draw = 0; draw < 20; draw++) {
            int port = StablePorts.free();
            assertThat(port).isBetween(10_000, StablePorts.ephemeralLow() - 1);
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(port));
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void outgoingConnectionsTakeTheirLocalPortsFromTheRangeStablePortsAvoids() throws Exception {
        // the reason for the class: a client's local end lands in the ephemeral range, never on a stable port
        try (ServerSocket server = new ServerSocket(0);
                Socket client = new Socket("127.0.0.1", server.getLocalPort())) {
            assertThat(client.getLocalPort()).isGreaterThanOrEqualTo(StablePorts.ephemeralLow());
        }
    }
}
