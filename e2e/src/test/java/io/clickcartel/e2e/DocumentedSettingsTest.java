package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.bronze.BronzeConfig;
import io.clickcartel.bronze.KafkaSourceConfig;
import io.clickcartel.gold.GoldConfig;
import io.clickcartel.ingest.IngestConfig;
import io.clickcartel.insights.InsightsConfig;
import io.clickcartel.silver.SilverConfig;
import io.clickcartel.spark.PipelineConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settings tables of {@code docs/*.md} against the code. Every environment variable a service reads (its
 * {@code @ConfigMapping} interfaces and application.properties, as {@link ServiceSettings} finds them) is a row of a
 * settings table on some page — adding a setting without documenting it fails here; every row of a service's
 * page is a variable that service reads, with the default the code gives it; and every {@code CLICKCARTEL_…}
 * variable the README or a page names anywhere is read by a service, the launcher, its scripts or a CLI.
 */
class DocumentedSettingsTest {

    private static final Path ROOT = ServiceSettings.ROOT;
    private static final String TABLE_HEADER = "| environment variable | default | meaning |";
    /** The page whose settings table documents each service. */
    private static final Map<String, String> PAGES = Map.of(
            "ingest.md",
            "ingest-service",
            "bronze.md",
            "bronze-writer",
            "silver.md",
            "silver-processor",
            "gold.md",
            "gold-aggregator",
            "dashboard.md",
            "insights-service");
    /** The configuration each page's defaults must equal (a variable several services read has a default each). */
    private static final Map<String, List<Class<?>>> CONFIGURATION = Map.of(
            "ingest.md", List.of(IngestConfig.class),
            "bronze.md", List.of(BronzeConfig.class, KafkaSourceConfig.class, PipelineConfig.class),
            "silver.md", List.of(SilverConfig.class, PipelineConfig.class),
            "gold.md", List.of(GoldConfig.class, PipelineConfig.class),
            "dashboard.md", List.of(InsightsConfig.class));
    /** Read by the services, set by their own commands rather than by users: not documented on purpose. */
    private static final Set<String> SET_BY_COMMANDS = Set.of(
            "CLICKCARTEL_GOLD_STREAMING", // false for `gold refresh` and `gold report` (GoldMain)
            "CLICKCARTEL_SILVER_STREAMING"); // false for `silver backfill` (SilverMain)
    /** Where the launcher, its scripts and the CLIs outside the services read their variables. */
    private static final List<String> OTHER_READERS = List.of(
            "clickcartel",
            "scripts",
            "bench",
            "local-kafka/src/main/java",
            "local-s3/src/main/java",
            "lake-check/src/main/java",
            "datagen/src/main/java");

    private static final Pattern VARIABLE = Pattern.compile("CLICKCARTEL_[A-Z0-9_]*[A-Z0-9](_\\*)?");
    private static final Pattern NAMED = Pattern.compile("`([A-Z][A-Z0-9_]*[A-Z0-9](_\\*)?)`");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    /** "`CLICKCARTEL_GOLD_JAVA_OPTS` (default `-Xmx900m`" in prose: the launcher's JVM options for a command. */
    private static final Pattern DOCUMENTED_JVM_DEFAULT =
            Pattern.compile("`(CLICKCARTEL_[A-Z]+_JAVA_OPTS)`\\s*\\(default `([^`]+)`");

    private static final Pattern PLACEHOLDER_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");

    private static final Map<String, ServiceSettings> SERVICES = new LinkedHashMap<>();
    /** Per page, its settings rows: variable (or `NAME_*` pattern) → the row's default cell. */
    private static final Map<String, Map<String, String>> ROWS = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        ServiceSettings.MODULES.forEach(module -> SERVICES.put(module, ServiceSettings.of(module)));
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            for (Path page :
                    pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Map<String, String> rows = settingsRows(Files.readAllLines(page));
                if (!rows.isEmpty()) {
                    ROWS.put(page.getFileName().toString(), rows);
                }
            }
        }
    }

    @Test
    void theTablesThisTestReadsAreThere() {
        // guards the parsing: if it found no table, every check below would pass vacuously
        assertThat(ROWS).containsOnlyKeys(PAGES.keySet());
        assertThat(ROWS.get("ingest.md")).containsKeys("CLICKCARTEL_WRITE_KEYS", "QUARKUS_HTTP_PORT");
        assertThat(ROWS.get("silver.md")).containsKeys("CLICKCARTEL_SPARK_*", "CLICKCARTEL_SILVER_WATERMARK_DELAY");
    }

    @Test
    void everySettingAServiceReadsIsARowOfASettingsTable() {
        Set<String> documented = new TreeSet<>();
        ROWS.values().forEach(rows -> documented.addAll(rows.keySet()));
        SERVICES.values().forEach(service -> {
            Set<String> missing = new TreeSet<>(service.environment());
            missing.removeAll(documented);
            missing.removeAll(SET_BY_COMMANDS);
            assertThat(missing)
                    .as("variables %s reads that no docs/*.md settings table lists", service.module())
                    .isEmpty();
        });
    }

    @Test
    void everyRowOfAServicesPageIsAVariableThatServiceReads() {
        ROWS.forEach((page, rows) -> {
            Set<String> reads = SERVICES.get(PAGES.get(page)).environment();
            rows.keySet().forEach(variable -> {
                if (variable.endsWith("_*")) {
                    String prefix = variable.substring(0, variable.length() - 1);
                    assertThat(reads)
                            .as("%s: %s stands for variables %s reads", page, variable, PAGES.get(page))
                            .anyMatch(read -> read.startsWith(prefix));
                } else {
                    assertThat(reads).as("%s lists %s", page, variable).contains(variable);
                }
            });
        });
    }

    @Test
    void everyDocumentedDefaultIsTheCodesDefault() {
        ROWS.forEach((page, rows) -> {
            Map<String, String> defaults = new TreeMap<>();
            CONFIGURATION
                    .get(page)
                    .forEach(type ->
                            addDefaults(type.getAnnotation(ConfigMapping.class).prefix(), type, defaults));
            addPropertyDefaults(PAGES.get(page), defaults);
            rows.forEach((variable, cell) -> {
                Matcher value = BACKTICKED.matcher(cell);
                if (variable.equals("QUARKUS_HTTP_PORT")) {
                    assertThat(cell)
                            .as("%s: the HTTP port", page)
                            .isEqualTo("`" + SERVICES.get(PAGES.get(page)).httpPort() + "`");
                } else if (defaults.containsKey(variable) && value.find()) {
                    assertThat(value.group(1))
                            .as("%s: the default of %s", page, variable)
                            .isEqualTo(defaults.get(variable));
                }
            });
        });
        assertThat(ROWS.get("bronze.md").get("CLICKCARTEL_BRONZE_TRIGGER"))
                .as("a default this test compares")
                .isEqualTo("`5s`");
    }

    @Test
    void everyVariableTheDocsNameIsReadBySomething() throws IOException {
        Set<String> read = new TreeSet<>();
        SERVICES.values().forEach(service -> read.addAll(service.environment()));
        String others = otherReaders();
        Set<String> unread = new TreeSet<>();
        for (Path page : markdown()) {
            Matcher variable = VARIABLE.matcher(Files.readString(page));
            while (variable.find()) {
                String name = variable.group();
                boolean known = name.endsWith("_*")
                        ? read.stream().anyMatch(r -> r.startsWith(name.substring(0, name.length() - 1)))
                        : read.contains(name) || readsVariable(others, name);
                if (!known) {
                    unread.add(ROOT.relativize(page) + ": " + name);
                }
            }
        }
        assertThat(unread).as("variables the docs name that nothing reads").isEmpty();
    }

    @Test
    void everyJvmDefaultTheDocsGiveIsTheLaunchers() throws IOException {
        String launcher = Files.readString(ROOT.resolve("clickcartel"));
        Map<String, String> documented = new TreeMap<>();
        for (Path page : markdown()) {
            // prose may wrap between the variable and its default
            Matcher given =
                    DOCUMENTED_JVM_DEFAULT.matcher(Files.readString(page).replace('\n', ' '));
            while (given.find()) {
                documented.put(ROOT.relativize(page) + ": " + given.group(1), given.group(2));
                assertThat(launcher)
                        .as("%s's default in %s", given.group(1), page.getFileName())
                        .contains("${" + given.group(1) + ":-" + given.group(2) + "}");
            }
        }
        assertThat(documented.keySet())
                .as("the pages this test reads")
                .contains("docs/gold.md: CLICKCARTEL_GOLD_JAVA_OPTS", "docs/silver.md: CLICKCARTEL_SILVER_JAVA_OPTS");
    }

    /** The rows of every settings table on a page: the variables named in the first cell → the second cell. */
    private static Map<String, String> settingsRows(List<String> lines) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals(TABLE_HEADER)) {
                continue;
            }
            for (int row = i + 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
                String[] cells = lines.get(row).split(" \\| ");
                Matcher name = NAMED.matcher(cells[0]);
                while (name.find()) {
                    rows.put(name.group(1), cells[1].trim());
                }
            }
        }
        return rows;
    }

    private static void addDefaults(String prefix, Class<?> group, Map<String, String> defaults) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String property = prefix + "."
                    + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            if (method.getReturnType().isInterface()
                    && method.getReturnType().getName().startsWith("io.clickcartel.")) {
                addDefaults(property, method.getReturnType(), defaults);
            } else if (method.getAnnotation(WithDefault.class) != null) {
                defaults.put(
                        ServiceSettings.variableOf(property),
                        method.getAnnotation(WithDefault.class).value());
            }
        }
    }

    /** {@code ${CLICKCARTEL_X:default}} in the service's application.properties. */
    private static void addPropertyDefaults(String module, Map<String, String> defaults) {
        Properties properties = new Properties();
        try (var in =
                Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.values().forEach(value -> {
            Matcher placeholder = PLACEHOLDER_DEFAULT.matcher(value.toString());
            while (placeholder.find()) {
                defaults.put(placeholder.group(1), placeholder.group(2));
            }
        });
    }

    private static List<Path> markdown() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The launcher, its scripts and the CLIs' sources, as one text. */
    private static String otherReaders() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String reader : OTHER_READERS) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(reader))) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    text.append(Files.readString(file)).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** A shell expansion ({@code ${NAME…}}, {@code $NAME}), a picocli default or a Java getenv of the name. */
    private static boolean readsVariable(String sources, String name) {
        return Pattern.compile("\\$\\{" + name + "\\b|\\$" + name + "\\b|env:" + name + "\\b|env\\(\"" + name + "\""
                        + "|getenv\\(\"" + name + "\"")
                .matcher(sources)
                .find();
    }
}
