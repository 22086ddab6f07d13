package dev.streamfm.model;

import dev.streamfm.features.FeatureSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model read from a directory ({@link ModelDirectory}): its hyper-parameters, the feature spec
 * it was trained with, and every variable and optimizer slot with the step.
 */
public record SavedModel(Path dir, ModelConfig config, FeatureSpec spec, ModelState state) {

    /**
     * Why this model cannot be loaded into a model of {@code config} over {@code spec}, one line
     * each; empty when it can. Learning rates and other hyper-parameters that leave the variables'
     * shapes alone may differ: the loading side's apply from then on.
     */
    public List<String> differences(FeatureSpec otherSpec, ModelConfig other, List<VariableInfo> variables) {
        List<String> out = new ArrayList<>();
        if (!spec.toYaml().equals(otherSpec.toYaml())) {
            out.add("the feature spec differs (the saved one is " + dir.resolve(ModelDirectory.SPEC_FILE) + ")");
        }
        if (config.type() != other.type()) {
            out.add("model type: saved " + config.type().label() + ", here " + other.type().label());
        }
        if (config.embeddingDim() != other.embeddingDim()) {
            out.add("embedding dim: saved " + config.embeddingDim() + ", here " + other.embeddingDim());
        }
        if (!config.towers().equals(other.towers())) {
            out.add("towers: saved " + labels(config.towers()) + ", here " + labels(other.towers()));
        }
        if (config.towers().contains(Tower.DNN) && !config.hiddenUnits().equals(other.hiddenUnits())) {
            out.add("hidden units: saved " + config.hiddenUnits() + ", here " + other.hiddenUnits());
        }
        if (config.batchNorm() != other.batchNorm()) {
            out.add("batch norm: saved " + config.batchNorm() + ", here " + other.batchNorm());
        }
        if (config.admission().enabled() != other.admission().enabled()) {
            out.add("feature admission or expiry: saved " + onOff(config.admission()) + ", here "
                    + onOff(other.admission()) + " (the id-to-row map is part of the state)");
        }
        if (config.optimizer() != other.optimizer()) {
            out.add("table optimizer: saved " + config.optimizer().label() + ", here " + other.optimizer().label());
        }
        if (out.isEmpty()) {
            // What the comparisons above cannot see (a layout the spec maps differently) the shapes still show.
            for (VariableInfo v : variables) {
                List<VariableValue> saved = state.variables().stream().filter(s -> s.name().equals(v.name())).toList();
                if (saved.isEmpty() || !Arrays.equals(saved.get(0).shape(), v.shape())) {
                    out.add("variable " + v.name() + ": saved " + (saved.isEmpty() ? "none"
                            : Arrays.toString(saved.get(0).shape())) + ", here " + Arrays.toString(v.shape()));
                }
            }
            if (variables.size() != state.variables().size()) {
                out.add("variables: saved " + state.variables().size() + ", here " + variables.size());
            }
        }
        return out;
    }

    /** A new model of the saved configuration holding the saved state, one that can train. Close it. */
    public Model load() {
        return load(ModelUse.TRAINING);
    }

    /** A new model of the saved configuration holding the saved state, for {@code use}. Close it. */
    public Model load(ModelUse use) {
        Model m = Models.create(config, spec.layout(), use);
        try {
            m.importState(state);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static String labels(java.util.Set<Tower> towers) {
        return towers.stream().map(Tower::label).collect(java.util.stream.Collectors.joining(","));
    }

    private static String onOff(AdmissionConfig a) {
        return a.enabled() ? "on" : "off";
    }
}
