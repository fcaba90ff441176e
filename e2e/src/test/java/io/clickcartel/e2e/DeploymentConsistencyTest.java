package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files agree with each other and with the code: docker-compose.yml references only what it
 * defines and health-checks every long-running service; each kustomize overlay renders ({@code kubectl kustomize})
 * and sets only environment variables the services read, probes only health paths on ports that exist, keeps Spark
 * drivers single and non-root, and uses the images the compose file builds; the image opens for Spark
 * what the build's tests open (one argument file).
 */
class DeploymentConsistencyTest {

    private static final Path ROOT = ServiceSettings.ROOT;
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/ready", "/q/health/live", "/q/health/started");
    /** Read by the JVM or the image, not by the service's configuration. */
    private static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_OPTS", "JDK_JAVA_OPTIONS", "HOME");
    /** Compose services that run once and exit: no health check, no restart. */
    private static final Set<String> ONE_SHOTS = Set.of("reference-data", "datagen");

    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");

    private static final Map<String, ServiceSettings> SERVICES = new LinkedHashMap<>();
    private static Map<String, Object> compose;

    @BeforeAll
    static void load() throws IOException {
        ServiceSettings.MODULES.forEach(module -> SERVICES.put(module, ServiceSettings.of(module)));
        compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @Test
    void theServicesReadTheVariablesThisTestExpects() {
        // guards the reflection above: if it found nothing, every check below would pass vacuously
        assertThat(SERVICES.get("ingest-service").environment())
                .contains("CLICKCARTEL_WRITE_KEYS", "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS", "CLICKCARTEL_LOG_JSON");
        assertThat(SERVICES.get("silver-processor").environment())
                .contains("CLICKCARTEL_LAKE", "CLICKCARTEL_SPARK_MASTER", "CLICKCARTEL_SILVER_CUSTOMERS")
                .doesNotContain("CLICKCARTEL_WRITE_KEYS");
        assertThat(SERVICES.get("gold-aggregator").httpPort()).isEqualTo(8083);
    }

    @Test
    void composeReferencesOnlyWhatItDefinesAndChecksTheHealthOfEveryLongRunningService() {
        Map<String, Object> services = map(compose.get("services"));
        Set<String> volumes = map(compose.get("volumes")).keySet();
        Set<String> networks = map(compose.get("networks")).keySet();
        assertThat(services)
                .containsKeys(
                        "kafka", "ingest-service", "bronze-writer", "silver-processor", "gold-aggregator", "datagen");
        assertThat(map(services.get("datagen")).get("profiles"))
                .as("datagen is optional")
                .isEqualTo(List.of("datagen"));
        services.forEach((name, definition) -> {
            Map<String, Object> service = map(definition);
            Map<String, Object> dependsOn =
                    service.containsKey("depends_on") ? map(service.get("depends_on")) : Map.of();
            dependsOn.forEach((dependency, condition) -> {
                assertThat(services).as("%s depends on a defined service", name).containsKey(dependency);
                if ("service_healthy".equals(map(condition).get("condition"))) {
                    assertThat(map(services.get(dependency)))
                            .as("%s waits for %s's health check", name, dependency)
                            .containsKey("healthcheck");
                }
            });
            for (Object mount : list(service.getOrDefault("volumes", List.of()))) {
                String source = mount.toString().split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(volumes).as("%s mounts a defined volume", name).contains(source);
                }
            }
            assertThat(networks)
                    .as("%s's networks are defined", name)
                    .containsAll(strings(service.getOrDefault("networks", List.of())));
            if (!ONE_SHOTS.contains(name)) {
                assertThat(service).as("long-running %s", name).containsKeys("healthcheck");
            }
        });
        for (ServiceSettings settings : SERVICES.values()) {
            Map<String, Object> service = map(services.get(settings.module()));
            Map<String, Object> build = map(service.get("build"));
            Map<String, Object> args = map(build.get("args"));
            assertThat(args.get("SERVICE"))
                    .as("%s builds its own module", settings.module())
                    .isEqualTo(settings.module());
            assertThat(args.get("PORT")).as("%s's port", settings.module()).isEqualTo("" + settings.httpPort());
            assertThat(strings(service.get("ports"))).contains(settings.httpPort() + ":" + settings.httpPort());
            assertThat(map(service.getOrDefault("environment", Map.of())).keySet())
                    .as("variables compose sets for %s", settings.module())
                    .isSubsetOf(union(settings.environment(), RUNTIME_VARIABLES));
        }
    }

    @ParameterizedTest(name = "overlay {0}")
    @ValueSource(strings = {"local", "production"})
    void theOverlayRendersAndAgreesWithTheCode(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> configMaps = byName(objects, "ConfigMap");
        Map<String, Map<String, Object>> deployments = byName(objects, "Deployment");
        Set<String> composeImages = new HashSet<>();
        map(compose.get("services")).values().forEach(s -> composeImages.add((String) map(s).get("image")));

        assertThat(deployments).containsKeys(ServiceSettings.MODULES.toArray(String[]::new));
        for (ServiceSettings settings : SERVICES.values()) {
            Map<String, Object> deployment = deployments.get(settings.module());
            Map<String, Object> pod =
                    map(map(map(deployment.get("spec")).get("template")).get("spec"));
            Map<String, Object> container = map(list(pod.get("containers")).get(0));
            String what = overlay + "/" + settings.module();

            assertThat(container.get("image"))
                    .as("%s's image is one compose builds", what)
                    .isIn(composeImages);
            assertThat(map(pod.get("securityContext")).get("runAsNonRoot"))
                    .as("%s non-root", what)
                    .isEqualTo(true);
            assertThat(map(container.get("securityContext")).get("readOnlyRootFilesystem"))
                    .isEqualTo(true);
            assertThat(map(container.get("resources")))
                    .as("%s requests and limits", what)
                    .containsKeys("requests", "limits");

            Map<String, String> environment = environmentOf(container, configMaps);
            Set<String> referenced = new TreeSet<>();
            environment.values().forEach(value -> {
                Matcher reference = VARIABLE_REFERENCE.matcher(value);
                while (reference.find()) {
                    referenced.add(reference.group(1));
                }
            });
            assertThat(environment.keySet())
                    .as("%s: variables that are set and then referenced", what)
                    .containsAll(referenced);
            assertThat(environment.keySet())
                    .as("variables %s sets", what)
                    .isSubsetOf(union(union(settings.environment(), RUNTIME_VARIABLES), referenced));
            assertThat(environment.get("QUARKUS_HTTP_PORT")).isEqualTo("" + settings.httpPort());

            Map<String, Integer> ports = new LinkedHashMap<>();
            list(container.get("ports"))
                    .forEach(p -> ports.put((String) map(p).get("name"), (Integer) map(p).get("containerPort")));
            assertThat(ports.get("http")).as("%s's http port", what).isEqualTo(settings.httpPort());
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
                assertThat(get.get("path")).as("%s %s", what, probe).isIn(HEALTH_PATHS);
                assertThat(ports).as("%s %s's port", what, probe).containsKey((String) get.get("port"));
            }
            assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
                    .isEqualTo("/q/health/ready");

            assertThat(((Number) pod.getOrDefault("terminationGracePeriodSeconds", 30)).longValue())
                    .as("%s: Kubernetes waits longer than the service's own shutdown", what)
                    .isGreaterThan(shutdownSeconds(settings.module(), environment));

            Map<String, Object> spec = map(deployment.get("spec"));
            if (ServiceSettings.SPARK_DRIVERS.contains(settings.module())) {
                assertThat(spec.get("replicas"))
                        .as("%s: one driver per checkpoint", what)
                        .isEqualTo(1);
                assertThat(map(spec.get("strategy")).get("type"))
                        .as("%s never runs two drivers", what)
                        .isEqualTo("Recreate");
                assertThat(environment).containsEntry("CLICKCARTEL_SPARK_MASTER", "spark://spark-master:7077");
            }
        }
        for (Map<String, Object> object : objects) {
            String kind = (String) object.get("kind");
            Map<String, Object> spec = map(object.getOrDefault("spec", Map.of()));
            if (kind.equals("HorizontalPodAutoscaler")) {
                assertThat(deployments).as("an autoscaler's target").containsKey((String)
                        map(spec.get("scaleTargetRef")).get("name"));
            }
            if (kind.equals("Service") || kind.equals("PodDisruptionBudget")) {
                Map<String, Object> selector = kind.equals("Service")
                        ? map(spec.get("selector"))
                        : map(map(spec.get("selector")).get("matchLabels"));
                assertThat(objects.stream()
                                .filter(o ->
                                        List.of("Deployment", "StatefulSet").contains(o.get("kind")))
                                .map(o -> map(map(map(map(o.get("spec")).get("template"))
                                                .get("metadata"))
                                        .get("labels"))))
                        .as("%s %s selects pods", kind, name(object))
                        .anySatisfy(labels -> assertThat(labels).containsAllEntriesOf(selector));
            }
        }
    }

    @ParameterizedTest(name = "overlay {0}")
    @ValueSource(strings = {"local", "production"})
    void theLakeMaintenanceCronJobRunsGoldsMaintainCommandOneAtATimeOnTheServicesLake(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Map<String, Object>> configMaps = byName(objects, "ConfigMap");
        Map<String, Object> goldPod =
                map(map(map(byName(objects, "Deployment").get("gold-aggregator").get("spec"))
                                .get("template"))
                        .get("spec"));
        Map<String, Object> goldContainer = map(list(goldPod.get("containers")).get(0));
        Map<String, Object> cronJob = byName(objects, "CronJob").get("lake-maintenance");
        assertThat(cronJob).as("%s: the lake-maintenance CronJob", overlay).isNotNull();
        Map<String, Object> spec = map(cronJob.get("spec"));
        assertThat(spec.get("concurrencyPolicy"))
                .as("one maintenance at a time")
                .isEqualTo("Forbid");
        Map<String, Object> pod =
                map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template"))
                        .get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        assertThat(container.get("image")).isEqualTo(goldContainer.get("image"));
        assertThat(strings(container.get("args"))).containsExactly("maintain");
        assertThat(map(pod.get("securityContext")).get("runAsNonRoot")).isEqualTo(true);
        assertThat(map(container.get("resources"))).containsKeys("requests", "limits");
        Map<String, String> environment = environmentOf(container, configMaps);
        Map<String, String> goldEnvironment = environmentOf(goldContainer, configMaps);
        assertThat(environment.get("CLICKCARTEL_LAKE"))
                .as("the lake the services write")
                .isEqualTo(goldEnvironment.get("CLICKCARTEL_LAKE"));
        assertThat(environment.keySet())
                .as("variables the maintenance job sets: gold's settings")
                .isSubsetOf(union(SERVICES.get("gold-aggregator").environment(), RUNTIME_VARIABLES));
        assertThat(java.time.Duration.parse(environment.get("CLICKCARTEL_LAKE_RETENTION")))
                .as("at least Delta's floor")
                .isGreaterThanOrEqualTo(java.time.Duration.ofDays(7));
    }

    /**
     * What a SIGTERM may take: for a Spark layer the grace for its running batch plus the stop that follows it (its
     * queries and Spark, 30 s allowed); for ingest the preStop pause plus the wait for in-flight requests.
     */
    private static long shutdownSeconds(String module, Map<String, String> environment) throws IOException {
        if (ServiceSettings.SPARK_DRIVERS.contains(module)) {
            String source = Files.readString(
                    ROOT.resolve("spark-common/src/main/java/io/clickcartel/spark/PipelineConfig.java"));
            Matcher grace = Pattern.compile("@WithDefault\\(\"(\\d+)s\"\\)\\s+Duration shutdownGrace")
                    .matcher(source);
            assertThat(grace.find())
                    .as("PipelineConfig's default shutdown grace")
                    .isTrue();
            return seconds(environment.getOrDefault("CLICKCARTEL_SHUTDOWN_GRACE", grace.group(1) + "s")) + 30;
        }
        if (module.equals("ingest-service")) {
            String properties =
                    Files.readString(ROOT.resolve("ingest-service/src/main/resources/application.properties"));
            Matcher timeout = Pattern.compile("quarkus.shutdown.timeout=\\$\\{CLICKCARTEL_SHUTDOWN_TIMEOUT:(\\d+s)}")
                    .matcher(properties);
            assertThat(timeout.find()).as("ingest's shutdown timeout").isTrue();
            return seconds(environment.getOrDefault("CLICKCARTEL_SHUTDOWN_TIMEOUT", timeout.group(1))) + 5;
        }
        return 0;
    }

    private static long seconds(String duration) {
        return java.time.Duration.parse("PT" + duration.toUpperCase(java.util.Locale.ROOT))
                .toSeconds();
    }

    @Test
    void theImageOpensWhatSparkNeedsAndRunsAsNonRoot() throws IOException {
        // one argument file, used by the build's tests and the image alike
        assertThat(Files.readString(ROOT.resolve("pom.xml")))
                .contains("<spark.add-opens>@${maven.multiModuleProjectDirectory}/spark-parent/spark-add-opens.args<");
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));
        assertThat(dockerfile)
                .contains("COPY spark-parent/spark-add-opens.args /opt/clickcartel/spark-add-opens.args")
                .contains("ENV JDK_JAVA_OPTIONS=\"@/opt/clickcartel/spark-add-opens.args\"")
                .contains("USER 10001")
                .containsPattern("HEALTHCHECK[^\\n]*\\n[^\\n]*/q/health/ready");
    }

    @Test
    void composeAndKubernetesRunTheKafkaVersionTheTestsRun() throws Exception {
        Matcher version = Pattern.compile("<kafka.broker.version>(.*)</kafka.broker.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        String image = "apache/kafka:" + version.group(1);
        assertThat(map(map(compose.get("services")).get("kafka")).get("image"))
                .as("compose's broker")
                .isEqualTo(image);
        Map<String, Object> broker = byName(render("local"), "StatefulSet").get("kafka");
        Map<String, Object> pod =
                map(map(map(broker.get("spec")).get("template")).get("spec"));
        assertThat(map(list(pod.get("containers")).get(0)).get("image"))
                .as("the local overlay's broker")
                .isEqualTo(image);
    }

    private static List<Map<String, Object>> render(String overlay) throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", "deploy/k8s/overlays/" + overlay)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue())
                .as("kubectl kustomize %s:%n%s", overlay, output)
                .isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        yaml().loadAll(output).forEach(document -> objects.add(map(document)));
        return objects;
    }

    /** A container's variables: its env entries and the keys of the ConfigMaps it takes whole. */
    private static Map<String, String> environmentOf(
            Map<String, Object> container, Map<String, Map<String, Object>> configMaps) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object from : list(container.getOrDefault("envFrom", List.of()))) {
            String name = (String) map(map(from).get("configMapRef")).get("name");
            assertThat(configMaps).as("envFrom ConfigMap").containsKey(name);
            map(configMaps.get(name).get("data")).forEach((key, value) -> environment.put(key, value.toString()));
        }
        for (Object entry : list(container.getOrDefault("env", List.of()))) {
            Map<String, Object> variable = map(entry);
            Object valueFrom = variable.get("valueFrom");
            if (valueFrom != null && map(valueFrom).containsKey("configMapKeyRef")) {
                Map<String, Object> ref = map(map(valueFrom).get("configMapKeyRef"));
                assertThat(configMaps)
                        .as("ConfigMap of %s", variable.get("name"))
                        .containsKey((String) ref.get("name"));
                assertThat(map(configMaps.get(ref.get("name")).get("data"))).containsKey((String) ref.get("key"));
            }
            environment.put((String) variable.get("name"), String.valueOf(variable.getOrDefault("value", "")));
        }
        return environment;
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> objects, String kind) {
        Map<String, Map<String, Object>> named = new LinkedHashMap<>();
        objects.stream().filter(o -> kind.equals(o.get("kind"))).forEach(o -> named.put(name(o), o));
        return named;
    }

    private static String name(Map<String, Object> object) {
        return (String) map(object.get("metadata")).get("name");
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    private static List<String> strings(Object node) {
        return list(node).stream().map(Object::toString).toList();
    }
}
