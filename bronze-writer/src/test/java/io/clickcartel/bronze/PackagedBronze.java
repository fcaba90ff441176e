package io.clickcartel.bronze;

import io.clickcartel.localkafka.StablePorts;
import io.clickcartel.testsupport.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packaged bronze writer as its own process, for the integration tests (failsafe passes its jar and options). */
final class PackagedBronze {

    private PackagedBronze() {}

    /** With a 1 s trigger, Spark on two cores, and {@code environment}'s settings; it logs to {@code dir}. */
    static ServiceProcess process(Path dir, Map<String, String> environment) {
        List<String> javaOptions = new ArrayList<>(Arrays.asList(
                System.getProperty("clickcartel.service.java-options").trim().split("\\s+")));
        javaOptions.add("-Xmx1g");
        Map<String, String> settings =
                new HashMap<>(Map.of("CLICKCARTEL_BRONZE_TRIGGER", "1s", "CLICKCARTEL_SPARK_MASTER", "local[2]"));
        settings.putAll(environment);
        return new ServiceProcess(
                "bronze-writer",
                Path.of(System.getProperty("clickcartel.service.jar")),
                javaOptions,
                settings,
                dir.resolve("bronze.log"),
                StablePorts.free());
    }
}
