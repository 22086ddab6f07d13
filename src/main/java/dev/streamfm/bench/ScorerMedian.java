package dev.streamfm.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repeated scorer catch-ups of one guarantee summed up. On a 2-core machine one run's ratio
 * moved by up to 40% between runs of the same build (how warm the JVMs were, whether the heap was
 * fixed, the broker sharing the cores; README, bench pipeline), so a single run says little: the
 * median of several does.
 *
 * @param ratio     median of the runs' scorer / pass-through ratios
 * @param perSecond median scorer events/s
 */
public record ScorerMedian(String guarantee, int runs, double perSecond, double ratio, double ratioMin,
                           double ratioMax) {

    /** One summary per guarantee, in the order the guarantees first ran. */
    static List<ScorerMedian> of(List<ScorerCatchUp> runs) {
        Map<String, List<ScorerCatchUp>> byGuarantee = new LinkedHashMap<>();
        for (ScorerCatchUp r : runs) {
            byGuarantee.computeIfAbsent(r.guarantee(), g -> new ArrayList<>()).add(r);
        }
        List<ScorerMedian> out = new ArrayList<>();
        byGuarantee.forEach((g, rs) -> {
            double[] ratios = rs.stream().mapToDouble(ScorerCatchUp::ratio).sorted().toArray();
            out.add(new ScorerMedian(g, rs.size(), median(rs.stream().mapToDouble(r -> r.scorer().perSecond())
                    .sorted().toArray()), median(ratios), ratios[0], ratios[ratios.length - 1]));
        });
        return out;
    }

    /** Of sorted values; the mean of the middle two for an even count. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
