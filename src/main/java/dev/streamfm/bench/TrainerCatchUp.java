package dev.streamfm.bench;

/**
 * The trainer working through a backlog of labeled examples, against two ceilings measured in the
 * same run: {@code bench model}'s plain training throughput at the same batch size (the model
 * alone), and a stateless pass-through of the same examples (Kafka alone, under the trainer's
 * guarantee). Neither ceiling includes the other's cost, so the trainer can reach neither.
 *
 * @param benchModelPerSecond in-process training examples/s of the same model and batch size
 * @param ratio               trainer examples/s over {@code benchModelPerSecond}
 * @param passThrough         the pass-through copying the examples topic
 * @param passThroughRatio    trainer examples/s over the pass-through's
 */
public record TrainerCatchUp(int batchSize, CatchUp trainer, double benchModelPerSecond, double ratio,
                             CatchUp passThrough, double passThroughRatio) {
}
