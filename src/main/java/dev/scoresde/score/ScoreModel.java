package dev.scoresde.score;

import dev.scoresde.sde.ScoreFunction;

/**
 * A time-dependent score model s_θ(x, t) ≈ ∇ₓ log p_t(x) (Song et al. 2021, Eq. 7): a network, an exact
 * mixture score, or either wrapped (counting, guidance). The samplers, likelihoods and controllers take these.
 */
@FunctionalInterface
public interface ScoreModel extends ScoreFunction {
}
