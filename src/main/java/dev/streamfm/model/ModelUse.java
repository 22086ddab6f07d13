package dev.streamfm.model;

/**
 * What a model is created for. A scoring model (the scorer's replica copies) never trains, so its
 * optimizer slots get no memory: as much as its tables again under Adagrad, twice as much under
 * FTRL, and twice the dense layers under Adam. It refuses what needs them (training steps, export,
 * row resets) and imports a state without them.
 */
public enum ModelUse {
    /** Trains, exports and imports everything, optimizer state included. */
    TRAINING,
    /** Predicts and takes parameter writes; holds no optimizer state. */
    SCORING
}
