package dev.streamfm.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/** The progress bar of an offline pass on stderr, and the flag that turns it off. */
final class ProgressOptions {

    private static final int PROGRESS_WIDTH = 100;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    /** Events consumed by a pass. */
    interface Progress extends LongConsumer, AutoCloseable {
        @Override
        void close();
    }

    /** @param total events the pass will consume, -1 when unknown */
    Progress start(String task, long total, PrintWriter err) {
        if (noProgress) {
            return new Progress() {
                @Override
                public void accept(long n) {
                }

                @Override
                public void close() {
                }
            };
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed()
                .setUpdateIntervalMillis(500).setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, PROGRESS_WIDTH)).build();
        return new Progress() {
            @Override
            public void accept(long n) {
                bar.stepBy(n);
            }

            @Override
            public void close() {
                bar.close();
                err.println();
                err.flush();
            }
        };
    }
}
