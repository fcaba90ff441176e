package io.clickcartel.e2e;

import io.clickcartel.testsupport.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A module's packaged service as a process of its own, with the JVM options the build gives services. */
final class ServiceProcesses {

    private ServiceProcesses() {}

    static ServiceProcess of(String module, String heap, Map<String, String> environment, Path dir, int port) {
        List<String> javaOptions = new ArrayList<>(Arrays.asList(
                System.getProperty("clickcartel.service.java-options").trim().split("\\s+")));
        javaOptions.add(heap);
        Path jar = ServiceSettings.ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        return new ServiceProcess(module, jar, javaOptions, environment, dir.resolve(module + ".log"), port);
    }

    static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(more);
        return all;
    }
}
