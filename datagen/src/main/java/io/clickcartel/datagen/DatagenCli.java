package io.clickcartel.datagen;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code datagen generate | send | land}: see {@code --help} of each. */
@Command(
        name = "datagen",
        mixinStandardHelpOptions = true,
        description = "Synthetic clickstream data for Clickcartel, and the exact answers it implies.",
        subcommands = {DatagenCli.Generate.class, DatagenCli.Send.class, DatagenCli.Land.class})
public final class DatagenCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new DatagenCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Write customers.csv, products.parquet, events/ and expected/ into a folder.")
    static final class Generate implements Callable<Integer> {
        private static final GeneratorConfig D = GeneratorConfig.defaults();

        @Option(names = "--out", required = true, description = "target folder (created)")
        Path out;

        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = D.seed();

        @Option(names = "--events", description = "valid main events (default ${DEFAULT-VALUE})")
        int events = D.events();

        @Option(names = "--customers", description = "default ${DEFAULT-VALUE}")
        int customers = D.customers();

        @Option(names = "--products", description = "default ${DEFAULT-VALUE}")
        int products = D.products();

        @Option(names = "--start", description = "first day, UTC (default ${DEFAULT-VALUE})")
        LocalDate start = D.start();

        @Option(names = "--days", description = "days of traffic (default ${DEFAULT-VALUE})")
        int days = D.days();

        @Option(names = "--zipf", description = "product popularity exponent (default ${DEFAULT-VALUE})")
        double zipf = D.zipfExponent();

        @Option(names = "--views-per-session", description = "mean (default ${DEFAULT-VALUE})")
        double viewsPerSession = D.meanViewsPerSession();

        @Option(names = "--cart-probability", description = "default ${DEFAULT-VALUE}")
        double cartProbability = D.cartProbability();

        @Option(names = "--purchase-probability", description = "default ${DEFAULT-VALUE}")
        double purchaseProbability = D.purchaseProbability();

        @Option(names = "--duplicate-rate", description = "default ${DEFAULT-VALUE}")
        double duplicateRate = D.duplicateRate();

        @Option(names = "--late-rate", description = "default ${DEFAULT-VALUE}")
        double lateRate = D.lateRate();

        @Option(names = "--malformed-rate", description = "default ${DEFAULT-VALUE}")
        double malformedRate = D.malformedRate();

        @Option(names = "--messy-rate", description = "default ${DEFAULT-VALUE}")
        double messyRate = D.messyRate();

        @Option(names = "--unknown-customer-rate", description = "default ${DEFAULT-VALUE}")
        double unknownCustomerRate = D.unknownCustomerRate();

        @Option(names = "--unknown-product-rate", description = "default ${DEFAULT-VALUE}")
        double unknownProductRate = D.unknownProductRate();

        @Option(names = "--landing-share", description = "share sent as landing files (default ${DEFAULT-VALUE})")
        double landingShare = D.landingShare();

        @Option(names = "--max-jitter", description = "ISO-8601 duration (default ${DEFAULT-VALUE})")
        Duration maxJitter = D.maxJitter();

        @Option(names = "--watermark-delay", description = "silver's, ISO-8601 (default ${DEFAULT-VALUE})")
        Duration watermarkDelay = D.watermarkDelay();

        @Option(names = "--events-per-file", description = "default ${DEFAULT-VALUE}")
        int eventsPerFile = D.eventsPerFile();

        @Option(
                names = "--no-expected",
                description = "skip the oracle and expected/ (load data whose answers nobody checks)")
        boolean noExpected;

        @Override
        public Integer call() throws IOException {
            GeneratorConfig config = GeneratorConfig.builder()
                    .seed(seed)
                    .customers(customers)
                    .products(products)
                    .events(events)
                    .start(start)
                    .days(days)
                    .zipfExponent(zipf)
                    .meanViewsPerSession(viewsPerSession)
                    .cartProbability(cartProbability)
                    .purchaseProbability(purchaseProbability)
                    .duplicateRate(duplicateRate)
                    .lateRate(lateRate)
                    .malformedRate(malformedRate)
                    .messyRate(messyRate)
                    .unknownCustomerRate(unknownCustomerRate)
                    .unknownProductRate(unknownProductRate)
                    .landingShare(landingShare)
                    .maxJitter(maxJitter)
                    .watermarkDelay(watermarkDelay)
                    .eventsPerFile(eventsPerFile)
                    .build();
            long started = System.nanoTime();
            Dataset.Summary summary = Dataset.generate(config, out, !noExpected);
            double seconds = (System.nanoTime() - started) / 1e9;
            Labels labels = summary.labels();
            System.out.printf(
                    "generated %,d valid events (+%,d duplicates, %,d malformed, %,d late) in %.1f s " + "into %s%n",
                    events,
                    labels.count(Phase.MAIN_HTTP, "duplicate") + labels.count(Phase.MAIN_LANDING, "duplicate"),
                    labels.count(Phase.MAIN_HTTP, "malformed") + labels.count(Phase.MAIN_LANDING, "malformed"),
                    labels.count(Phase.LATE_HTTP, "late"),
                    seconds,
                    out);
            Oracle.Expected expected = summary.expected();
            if (expected == null) {
                return 0;
            }
            System.out.printf(
                    "skew: top 1%% of products get %.1f%% of views; funnel: view→cart %.1f%%, "
                            + "cart→purchase %.1f%%%n",
                    100 * summary.topOnePercentViewShare(),
                    100 * summary.viewToCartRate(),
                    100 * summary.cartToPurchaseRate());
            System.out.printf(
                    "expected: bronze %,d = silver %,d + quarantined %,d + duplicates %,d + late %,d"
                            + " (ingest rejects %,d more)%n",
                    expected.count(GroundTruth.BRONZE_ROWS),
                    expected.count(GroundTruth.SILVER_ROWS),
                    expected.count(GroundTruth.QUARANTINED),
                    expected.count(GroundTruth.DUPLICATES_REMOVED),
                    expected.count(GroundTruth.TOO_LATE),
                    expected.count(GroundTruth.INGEST_REJECTED));
            return 0;
        }
    }

    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = "Send the HTTP phases of a data set to the ingest service, in order.")
    static final class Send implements Callable<Integer> {
        @Option(names = "--from", required = true, description = "a folder written by 'generate'")
        Path from;

        @Option(
                names = "--phase",
                split = ",",
                description = "phases to send (default: ${DEFAULT-VALUE}); one of MAIN_HTTP, LATE_HTTP")
        List<Phase> phases = List.of(Phase.MAIN_HTTP);

        @Option(names = "--url", description = "ingest base URL (default ${DEFAULT-VALUE})")
        URI url = URI.create("http://localhost:8080");

        @Option(
                names = "--protocol",
                description = "NATIVE (the batch API) or SEGMENT (as a Segment/RudderStack"
                        + " SDK sends, to /v1/batch) (default ${DEFAULT-VALUE})")
        Protocol protocol = Protocol.NATIVE;

        @Option(
                names = "--write-key",
                defaultValue = "${env:CLICKCARTEL_WRITE_KEY:-local-dev-key}",
                description = "default: $CLICKCARTEL_WRITE_KEY or local-dev-key")
        String writeKey;

        @Option(names = "--batch-size", description = "events per request, at most 2500 (default ${DEFAULT-VALUE})")
        int batchSize = 500;

        @Option(names = "--max-batch-span", description = "event time one batch may span (default ${DEFAULT-VALUE})")
        Duration maxBatchSpan = Duration.ofMinutes(1);

        @Option(names = "--concurrency", description = "requests in flight (default ${DEFAULT-VALUE})")
        int concurrency = 4;

        @Option(names = "--rate", description = "target events/s, 0 = unlimited (default ${DEFAULT-VALUE})")
        double rate;

        @Option(
                names = "--max-retries",
                description = "per batch, on 503 or refused connection (default ${DEFAULT-VALUE})")
        int maxRetries = 30;

        @Override
        public Integer call() throws Exception {
            List<Path> files = new ArrayList<>();
            for (Phase phase : phases) {
                if (phase.route() != Phase.Route.HTTP) {
                    throw new CommandLine.ParameterException(
                            new CommandLine(this), phase + " is delivered as files: use 'datagen land'");
                }
                files.addAll(Dataset.eventFiles(from, phase));
            }
            EventSender.Options options = new EventSender.Options(
                    url,
                    protocol,
                    writeKey,
                    batchSize,
                    maxBatchSpan,
                    concurrency,
                    rate,
                    maxRetries,
                    Duration.ofSeconds(30));
            EventSender.Result result = new EventSender(options, System.err).send(files);
            System.out.printf(
                    "sent %,d events in %.1f s (%,.0f ev/s): accepted %,d, rejected %,d %s, %sretries %d%n",
                    result.sent(),
                    result.elapsed().toMillis() / 1000.0,
                    result.eventsPerSecond(),
                    result.accepted(),
                    result.rejectedByRule().values().stream()
                            .mapToLong(Long::longValue)
                            .sum(),
                    result.rejectedByRule(),
                    protocol == Protocol.SEGMENT ? String.format("ignored %,d, ", result.ignored()) : "",
                    result.retries());
            return 0;
        }
    }

    @Command(
            name = "land",
            mixinStandardHelpOptions = true,
            description = "Drop the landing phase's files into a landing folder, each appearing whole (atomic move).")
    static final class Land implements Callable<Integer> {
        @Option(names = "--from", required = true, description = "a folder written by 'generate'")
        Path from;

        @Option(names = "--to", required = true, description = "the landing folder the bronze writer watches")
        Path to;

        @Override
        public Integer call() throws IOException {
            Files.createDirectories(to);
            int count = 0;
            for (Path file : Dataset.eventFiles(from, Phase.MAIN_LANDING)) {
                String name = Phase.MAIN_LANDING.directory() + "-" + file.getFileName();
                Path hidden = to.resolve("." + name + ".tmp"); // readers skip dot files until the move
                Files.copy(file, hidden, StandardCopyOption.REPLACE_EXISTING);
                Files.move(hidden, to.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                count++;
            }
            System.out.printf("landed %d files in %s%n", count, to);
            return 0;
        }
    }
}
