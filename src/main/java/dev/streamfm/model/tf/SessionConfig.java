package dev.streamfm.model.tf;

import org.tensorflow.proto.ConfigProto;

/**
 * Session options. TensorFlow's thread pools belong to the process and the first session's
 * options decide them for every later session, so every model uses the same ones: 2 intra-op and
 * 2 inter-op threads were best (or tied) on the 2-core reference machine.
 */
public final class SessionConfig {

    public static final int INTRA_OP_THREADS = 2;
    public static final int INTER_OP_THREADS = 2;

    private SessionConfig() {
    }

    static ConfigProto defaults() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(INTRA_OP_THREADS)
                .setInterOpParallelismThreads(INTER_OP_THREADS)
                .build();
    }
}
