package dev.streamfm.synth;

import java.util.SplittableRandom;

/** Independent, reproducible random streams derived from one seed (SplitMix64 finalizer). */
final class Seeds {

    private Seeds() {
    }

    /** The random stream of one numbered item (an event, a calibration draw) of one purpose. */
    static SplittableRandom stream(long seed, long purpose, long index) {
        return new SplittableRandom(mix(mix(seed ^ mix(purpose)) + index));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Standard normal by Box-Muller from two uniforms, so the stream does not depend on the JDK's Gaussian. */
    static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
