package dev.scoresde.nn;

import dev.scoresde.nn.reference.ReferenceConfig;
import java.util.List;

/**
 * The architecture of a network, as stored in a checkpoint's {@code model.json} (Jackson-serializable).
 * Contract of every network built from a spec (a DJL {@code Block}):
 * input {@code NDList(x, cond[, labels])} — x (batch, channels, size, size) for U-Nets and the classifier,
 * (batch, channels) for the MLP; cond (batch) float32, the noise conditioning the network sees
 * (999·t for DDPM++, σ(t) for NCSN++; see NetworkScoreModel); labels (batch) int32 in [0, numClasses]
 * where numClasses is the "no label" token (classifier-free guidance), present only when numClasses > 0.
 * Output {@code NDList(y)} with y shaped like x for score networks, (batch, numClasses) logits for the classifier.
 * Exception: "feature-cnn", the evaluation's plain classifier of clean images, takes {@code NDList(x[, cond])},
 * ignores cond, and outputs {@code NDList(logits (batch, numClasses), features (batch, nf·chMult[last]))};
 * it uses channels, imageSize, nf, chMult, numResBlocks and numClasses only.
 *
 * Imported networks of the reference implementation have architecture "reference" and carry their whole
 * configuration in {@code reference}; the other fields then repeat what it says, for readers of model.json.
 *
 * @param architecture "ddpmpp", "ncsnpp", "mlp", "classifier", "feature-cnn" or "reference"
 * @param channels image channels (or the data dimension for "mlp")
 * @param imageSize height = width of the network's input (unused by "mlp")
 * @param nf base channel count (hidden width for "mlp")
 * @param chMult channel multiplier per resolution
 * @param numResBlocks residual blocks per resolution (layers for "mlp")
 * @param attnResolutions resolutions with self-attention
 * @param dropout dropout rate in residual blocks
 * @param fir FIR (1,3,3,1) resampling instead of plain
 * @param skipRescale rescale skip connections by 1/√2
 * @param progressive "none", "output_skip" or "residual" (output side)
 * @param progressiveInput "none", "input_skip" or "residual" (input side)
 * @param embedding "positional" (sinusoidal of cond) or "fourier" (random Fourier features of log cond)
 * @param fourierScale scale of the random Fourier features
 * @param numClasses class count for a class embedding or classifier head; 0 for unconditional
 * @param reference the reference implementation's configuration ("reference" only, else null)
 */
public record NetworkSpec(
    String architecture,
    int channels,
    int imageSize,
    int nf,
    List<Integer> chMult,
    int numResBlocks,
    List<Integer> attnResolutions,
    double dropout,
    boolean fir,
    boolean skipRescale,
    String progressive,
    String progressiveInput,
    String embedding,
    double fourierScale,
    int numClasses,
    ReferenceConfig reference) {

  public static final String REFERENCE = "reference";

  /** A spec of this project's own networks. */
  public NetworkSpec(String architecture, int channels, int imageSize, int nf, List<Integer> chMult,
      int numResBlocks, List<Integer> attnResolutions, double dropout, boolean fir, boolean skipRescale,
      String progressive, String progressiveInput, String embedding, double fourierScale, int numClasses) {
    this(architecture, channels, imageSize, nf, chMult, numResBlocks, attnResolutions, dropout, fir, skipRescale,
        progressive, progressiveInput, embedding, fourierScale, numClasses, null);
  }

  /** The spec of an imported reference network: the summary fields are read off {@code config}. */
  public static NetworkSpec reference(ReferenceConfig config) {
    ReferenceConfig.ModelOptions m = config.model();
    return new NetworkSpec(REFERENCE, config.data().numChannels(), config.data().imageSize(), m.nf(),
        m.chMult() == null ? List.of() : m.chMult(), m.numResBlocks(), m.attnResolutions(), m.dropout(), m.fir(),
        m.skipRescale(), lower(m.progressive()), lower(m.progressiveInput()), lower(m.embeddingType()),
        m.fourierScale(), 0, config);
  }

  private static String lower(Enum<?> e) {
    return e == null ? "none" : e.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True for an imported network of the reference implementation. */
  public boolean hasReference() {
    return reference != null;
  }
}
