package nnc.playground;

import java.util.Map;

/**
 * A copy of a run's parameters at one moment, taken by the training thread between two steps:
 * what a frame is drawn from, away from the training loop.
 *
 * @param seq     increases with every snapshot of the run
 * @param epoch   epochs completed
 * @param step    optimiser steps taken
 * @param playing whether the run was playing
 * @param params  every parameter tensor by name
 */
record Snapshot(long seq, int epoch, long step, boolean playing, Map<String, float[]> params) {}
