package io.clickcartel.datagen;

import io.clickcartel.core.contract.Rule;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The event files of a data set: {@code events/<phase>/events-00000.jsonl}, …, in delivery order, one JSON event
 * per line, at most {@code eventsPerFile} lines per file.
 */
final class EventFiles implements LineSink, AutoCloseable {

    static final String EVENTS_DIR = "events";

    private final Path root;
    private final int eventsPerFile;
    private Phase phase;
    private BufferedWriter writer;
    private int fileIndex;
    private int linesInFile;

    EventFiles(Path datasetDir, int eventsPerFile) {
        this.root = datasetDir.resolve(EVENTS_DIR);
        this.eventsPerFile = eventsPerFile;
    }

    static Path phaseDir(Path datasetDir, Phase phase) {
        return datasetDir.resolve(EVENTS_DIR).resolve(phase.directory());
    }

    /** The files of one phase, in delivery order. */
    static List<Path> files(Path datasetDir, Phase phase) {
        Path dir = phaseDir(datasetDir, phase);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(Phase linePhase, String line, Kind kind, Rule brokenRule) {
        try {
            if (linePhase != phase || linesInFile == eventsPerFile) {
                nextFile(linePhase);
            }
            writer.write(line);
            writer.write('\n');
            linesInFile++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void nextFile(Phase linePhase) throws IOException {
        close();
        if (linePhase != phase) {
            phase = linePhase;
            fileIndex = 0;
            Files.createDirectories(root.resolve(phase.directory()));
        }
        Path file = root.resolve(phase.directory()).resolve(String.format("events-%05d.jsonl", fileIndex++));
        writer = new BufferedWriter(
                new java.io.OutputStreamWriter(Files.newOutputStream(file), java.nio.charset.StandardCharsets.UTF_8),
                1 << 20);
        linesInFile = 0;
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
