package dev.scoresde.sde;

/** One step of a discretized forward chain: x_{i+1} = x_i + a_i·x_i + G_i·z_i. */
public record DiscreteStep(double driftCoefficient, double diffusion) {}
