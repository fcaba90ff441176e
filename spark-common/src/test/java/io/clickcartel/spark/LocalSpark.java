package io.clickcartel.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real local Spark (two cores, Delta, UTC: the production settings) and a temporary folder for one test class,
 * both removed after it, failing or not. Inject {@link SparkSession} or {@link Path} (the folder).
 */
public class LocalSpark implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalSpark.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path dir = Files.createTempDirectory("clickcartel-spark-");
        SparkSession spark =
                SparkSessions.create("local[2]", context.getDisplayName(), Map.of("spark.sql.shuffle.partitions", "2"));
        context.getStore(NAMESPACE).put(SparkSession.class, spark);
        context.getStore(NAMESPACE).put(Path.class, dir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SparkSession spark = context.getStore(NAMESPACE).remove(SparkSession.class, SparkSession.class);
        Path dir = context.getStore(NAMESPACE).remove(Path.class, Path.class);
        try {
            if (spark != null) {
                spark.streams().active(); // touch: fails fast if the context died
                for (var query : spark.streams().active()) {
                    query.stop();
                }
                spark.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test SparkSession failed", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SparkSession.class || type == Path.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getRoot() == context ? context : classContext(context);
        return classContext.getStore(NAMESPACE).get(parameter.getParameter().getType());
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
