package io.clickcartel.e2e;

import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's code reads, found in its build output rather than listed by hand: the environment variables of
 * its {@code @ConfigMapping} interfaces (Spark services also those of spark-common's) and of its
 * application.properties, and its HTTP port.
 */
record ServiceSettings(String module, Set<String> environment, int httpPort) {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final List<String> MODULES =
            List.of("ingest-service", "bronze-writer", "silver-processor", "gold-aggregator", "insights-service");
    /** The services that are Spark drivers: they read spark-common's settings too, and run one per checkpoint. */
    static final Set<String> SPARK_DRIVERS = Set.of("bronze-writer", "silver-processor", "gold-aggregator");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    static ServiceSettings of(String module) {
        Set<String> environment = new TreeSet<>(Set.of("QUARKUS_HTTP_PORT"));
        List<Path> classes = new ArrayList<>(List.of(ROOT.resolve(module).resolve("target/classes")));
        if (SPARK_DRIVERS.contains(module)) {
            classes.add(ROOT.resolve("spark-common/target/classes"));
        }
        for (Path dir : classes) {
            for (Class<?> type : classesIn(dir)) {
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    addProperties(mapping.prefix(), type, environment);
                }
            }
        }
        Properties properties = new Properties();
        try (var in =
                Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.values().forEach(value -> {
            Matcher placeholder = PLACEHOLDER.matcher(value.toString());
            while (placeholder.find()) {
                environment.add(placeholder.group(1));
            }
        });
        return new ServiceSettings(module, environment, Integer.parseInt(properties.getProperty("quarkus.http.port")));
    }

    /** The environment variable of a property, as SmallRye Config maps it: {@code a.b-c} is {@code A_B_C}. */
    static String variableOf(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void addProperties(String prefix, Class<?> group, Set<String> environment) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String property = prefix + "."
                    + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getName().startsWith("io.clickcartel.")) {
                addProperties(property, type, environment);
            } else {
                environment.add(variableOf(property));
            }
        }
    }

    private static List<Class<?>> classesIn(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Class<?>> types = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name =
                        dir.relativize(file).toString().replace(".class", "").replace('/', '.');
                try {
                    types.add(Class.forName(name, false, ServiceSettings.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class whose supertypes (Quarkus, Spark) are not on this test's class path: no config
                }
            }
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " (build the modules first)", e);
        }
    }
}
