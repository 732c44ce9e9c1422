/**
 * Score networks as DJL blocks, built from a {@link dev.scoresde.nn.NetworkSpec} by
 * {@link dev.scoresde.nn.Networks#create} and initialised reproducibly by
 * {@link dev.scoresde.nn.Networks#initialize}: the DDPM++/NCSN++ U-Net (Song et al. 2021, Appendix H;
 * GroupNorm, positional or random-Fourier noise embeddings, BigGAN residual blocks, self-attention, FIR
 * resampling, skip rescaling, progressive input/output pyramids, optional class embedding with a
 * "no label" token), an MLP score network for low-dimensional data, and the noise-conditional classifier
 * for guidance. Networks never rescale their output: {@link dev.scoresde.score.NetworkScoreModel} applies
 * the SDE's conditioning and 1/σ scaling. Named configurations live in {@link dev.scoresde.nn.Presets};
 * {@link dev.scoresde.nn.NetworkBench} measures their throughput.
 *
 * <p>Memory: every op on a parameter attaches its result to the activation's manager, so a forward or
 * backward pass inside a sub-manager leaves nothing behind in the manager that owns the weights.
 */
package dev.scoresde.nn;
