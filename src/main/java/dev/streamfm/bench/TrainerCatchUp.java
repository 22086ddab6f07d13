package dev.streamfm.bench;

/**
 * The trainer working through a backlog of labeled examples, against {@code bench model}'s plain
 * training throughput at the same batch size, measured in the same run.
 *
 * @param benchModelPerSecond in-process training examples/s of the same model and batch size
 * @param ratio               trainer examples/s over {@code benchModelPerSecond}
 */
public record TrainerCatchUp(int batchSize, CatchUp trainer, double benchModelPerSecond, double ratio) {
}
