package dev.streamfm.replay;

import dev.streamfm.schema.ClickEvent;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams a log file as labeled ClickEvents, one line at a time. A line that does not follow the
 * format is never dropped silently: it is passed to the problem callback with its line number
 * and counted. Events carry their label (logs arrive labeled), the id {@code <source>:<line>} and,
 * as time, the line's time column (CSV) or else the line number in milliseconds after the epoch
 * (the replay command then stamps its own times).
 * Files whose name ends in .gz are decompressed on the fly.
 */
public final class LogReader implements Iterator<LogRecord>, AutoCloseable {

    private final BufferedReader in;
    private final String source;
    private final LineParser parser;
    private final Consumer<ReadProblem> problems;
    private long line;
    private long records;
    private long badLines;
    private LogRecord next;
    private boolean done;

    private LogReader(BufferedReader in, String source, LineParser parser, long headerLines,
                      Consumer<ReadProblem> problems) {
        this.in = in;
        this.source = source;
        this.parser = parser;
        this.line = headerLines;
        this.problems = problems;
    }

    /** Opens a file; a missing or unreadable file, or a CSV header without the label column, fails here. */
    public static LogReader open(Path file, LogFormat format, ReaderOptions options, Consumer<ReadProblem> problems)
            throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new LogFileException(file + " does not exist");
        }
        try {
            InputStream bytes = file.getFileName().toString().endsWith(".gz") ? gunzip(file, raw) : raw;
            // A stray invalid byte becomes U+FFFD in one value rather than ending the whole read.
            BufferedReader reader = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
            return of(reader, file.getFileName().toString(), format, options, problems);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream gunzip(Path file, InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (ZipException | EOFException e) {
            throw new LogFileException(file + " ends in .gz but is not gzip-compressed; decompress or rename it");
        }
    }

    /** A reader over already opened text; {@code source} names it in event ids and messages. */
    public static LogReader of(BufferedReader in, String source, LogFormat format, ReaderOptions options,
                               Consumer<ReadProblem> problems) throws IOException {
        if (options.timeColumn() != null && format != LogFormat.CSV) {
            throw new LogFileException("a time column goes with --format csv, the one format that names its "
                    + "columns; " + format.label() + " rows get times from the replay");
        }
        return switch (format) {
            case LIBFM -> new LogReader(in, source, new SparseLineParser(true), 0, problems);
            case LIBSVM -> new LogReader(in, source, new SparseLineParser(false), 0, problems);
            case CRITEO -> new LogReader(in, source, new CriteoLineParser(), 0, problems);
            case CSV -> {
                String header = in.readLine();
                if (header == null) {
                    throw new LogFileException(source + " is empty; a CSV file starts with a header row");
                }
                yield new LogReader(in, source, CsvLineParser.fromHeader(source, header, options), 1, problems);
            }
        };
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            String text;
            try {
                text = in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": read failed after line " + line + ": " + e.getMessage(), e);
            }
            if (text == null) {
                done = true;
                break;
            }
            line++;
            try {
                if (text.isBlank()) {
                    throw new BadLineException("blank line");
                }
                ParsedLine p = parser.parse(text);
                ClickEvent event = new ClickEvent(source + ":" + line, Instant.ofEpochMilli(p.time().orElse(line)),
                        p.categorical(), Map.of(), p.numeric(), p.label());
                next = new LogRecord(line, event, p.label());
                records++;
            } catch (BadLineException e) {
                badLines++;
                problems.accept(new ReadProblem(line, e.getMessage()));
            }
        }
        return next != null;
    }

    @Override
    public LogRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LogRecord r = next;
        next = null;
        return r;
    }

    /** Lines read so far, the header included. */
    public long lines() {
        return line;
    }

    public long records() {
        return records;
    }

    public long badLines() {
        return badLines;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
