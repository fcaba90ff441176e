package io.clickcartel.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void startsAcceptsConnectionsStopsAndRestartsOnTheSamePortWithItsData() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder(dir).build()) {
            broker.start();
            assertThat(broker.isRunning()).isTrue();
            assertThat(accepts(broker.port())).isTrue();
            String clusterId = Files.readString(dir.resolve("data/meta.properties"));

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(accepts(broker.port())).isFalse();

            broker.start();
            assertThat(accepts(broker.port())).isTrue();
            assertThat(Files.readString(dir.resolve("data/meta.properties"))).isEqualTo(clusterId);
            assertThat(Files.readString(broker.logFile())).contains("Kafka Server started");
        }
    }

    @Test
    void noClusterIdStartsWithADashWhichTheStorageToolWouldTakeForAnOption() {
        // a random id starts with '-' once in 64: 10,000 draws would hold about 156 of them
        for (int draw = 0; draw < 10_000; draw++) {
            assertThat(LocalKafkaBroker.newClusterId()).hasSize(22).doesNotStartWith("-");
        }
    }

    @Test
    void refusesClearlyWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalKafkaBroker broker =
                    LocalKafkaBroker.builder(dir).port(taken.getLocalPort()).build();
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
            assertThat(broker.isRunning()).isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
