package io.clickcartel.localkafka;

/**
 * Entry point of the broker JVM. When started for a test, it watches the JVM that launched it and exits with it,
 * so a killed test run never leaves a broker behind.
 */
public final class BrokerMain {
    static final String PARENT_PID_PROPERTY = "clickcartel.broker.parent-pid";

    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        String parentPid = System.getProperty(PARENT_PID_PROPERTY);
        if (parentPid != null) {
            ProcessHandle.of(Long.parseLong(parentPid))
                    .ifPresentOrElse(parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
        kafka.Kafka.main(args);
    }
}
