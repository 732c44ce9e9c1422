package dev.scoresde.nn;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scoresde.nn.reference.ReferenceConfig;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import java.util.Arrays;
import java.util.List;

/**
 * The architecture of a network, as stored in a checkpoint's {@code model.json} (Jackson-serializable; the
 * options of closed sets are written by their reference names: "ddpmpp", "output_skip", "fourier", …).
 * Build one with {@link #ddpmpp()}, {@link #ncsnpp()}, {@link #classifier()}, {@link #mlp()},
 * {@link #featureCnn()} or {@link #builder}; the named configurations are in {@link Presets}.
 *
 * <p>Contract of every network built from a spec (a DJL {@code Block}):
 * input {@code NDList(x, cond[, labels])} — x (batch, channels, size, size) for U-Nets and the classifier,
 * (batch, channels) for the MLP; cond (batch) float32, the noise conditioning the network sees
 * (999·t for DDPM++, σ(t) for NCSN++; see NetworkScoreModel); labels (batch) int32 in [0, numClasses]
 * where numClasses is the "no label" token (classifier-free guidance), present only when numClasses > 0.
 * Output {@code NDList(y)} with y shaped like x for score networks, (batch, numClasses) logits for the classifier.
 * Exception: "feature-cnn", the evaluation's plain classifier of clean images, takes {@code NDList(x[, cond])},
 * ignores cond, and outputs {@code NDList(logits (batch, numClasses), features (batch, nf·chMult[last]))};
 * it uses channels, imageSize, nf, chMult, numResBlocks and numClasses only.
 *
 * <p>Imported networks of the reference implementation have architecture "reference" and carry their whole
 * configuration in {@code reference}; the other fields then repeat what it says, for readers of model.json.
 *
 * @param architecture which network
 * @param channels image channels (or the data dimension for "mlp")
 * @param imageSize height = width of the network's input (unused by "mlp")
 * @param nf base channel count (hidden width for "mlp")
 * @param chMult channel multiplier per resolution
 * @param numResBlocks residual blocks per resolution (layers for "mlp")
 * @param attnResolutions resolutions with self-attention
 * @param dropout dropout rate in residual blocks
 * @param fir FIR (1,3,3,1) resampling instead of plain
 * @param skipRescale rescale skip connections by 1/√2
 * @param progressive the output-side pyramid
 * @param progressiveInput the input-side pyramid
 * @param embedding sinusoidal of cond ("positional") or random Fourier features of log cond ("fourier")
 * @param fourierScale scale of the random Fourier features
 * @param numClasses class count for a class embedding or classifier head; 0 for unconditional
 * @param reference the reference implementation's configuration ("reference" only, else null and not written)
 */
public record NetworkSpec(
    Architecture architecture,
    int channels,
    int imageSize,
    int nf,
    List<Integer> chMult,
    int numResBlocks,
    List<Integer> attnResolutions,
    double dropout,
    boolean fir,
    boolean skipRescale,
    Progressive progressive,
    ProgressiveInput progressiveInput,
    EmbeddingType embedding,
    double fourierScale,
    int numClasses,
    @JsonInclude(JsonInclude.Include.NON_NULL) ReferenceConfig reference) {

  /**
   * A spec of {@code architecture} with the defaults of a job file that names no preset: chMult (1, 2, 2),
   * 2 residual blocks, no attention, no dropout, plain resampling, skip rescaling, no pyramids, positional
   * embedding (Fourier scale 16), unconditional. Channels, image size and nf are to be set.
   */
  public static Builder builder(Architecture architecture) {
    return new Builder(architecture);
  }

  /**
   * DDPM++ (Song et al. 2021, Section 4.4 and Appendix H.2): BigGAN residual blocks, skip rescaling,
   * positional embedding of 999·t, plain resampling, no pyramids — the {@link #builder} defaults.
   */
  public static Builder ddpmpp() {
    return builder(Architecture.DDPMPP);
  }

  /**
   * NCSN++ (Section 4.4 and Appendix H.1): DDPM++ with FIR resampling, a residual input pyramid (none on the
   * output side, as the reference's ve/cifar10_ncsnpp_continuous) and random Fourier features of log σ.
   */
  public static Builder ncsnpp() {
    return builder(Architecture.NCSNPP).fir(true).progressiveInput(ProgressiveInput.RESIDUAL)
        .embedding(EmbeddingType.FOURIER);
  }

  /** The noise-conditional classifier: the U-Net's down path and middle, then a dense head (Appendix I.1). */
  public static Builder classifier() {
    return builder(Architecture.CLASSIFIER);
  }

  /** The MLP score network; the U-Net's resolutions and skip rescaling do not apply and are left empty / off. */
  public static Builder mlp() {
    return builder(Architecture.MLP).chMult().skipRescale(false);
  }

  /** The evaluation's feature CNN; skip rescaling does not apply and is off. */
  public static Builder featureCnn() {
    return builder(Architecture.FEATURE_CNN).skipRescale(false);
  }

  /** The spec of an imported reference network: the summary fields are read off {@code config}. */
  public static NetworkSpec reference(ReferenceConfig config) {
    ReferenceConfig.ModelOptions m = config.model();
    return new NetworkSpec(Architecture.REFERENCE, config.data().numChannels(), config.data().imageSize(), m.nf(),
        m.chMult() == null ? List.of() : m.chMult(), m.numResBlocks(), m.attnResolutions(), m.dropout(), m.fir(),
        m.skipRescale(), m.progressive() == null ? Progressive.NONE : m.progressive(),
        m.progressiveInput() == null ? ProgressiveInput.NONE : m.progressiveInput(), m.embeddingType(),
        m.fourierScale(), 0, config);
  }

  /** True for an imported network of the reference implementation. */
  public boolean hasReference() {
    return reference != null;
  }

  /** A builder holding this spec's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder(architecture).channels(channels).imageSize(imageSize).nf(nf).numResBlocks(numResBlocks)
        .dropout(dropout).fir(fir).skipRescale(skipRescale).progressive(progressive)
        .progressiveInput(progressiveInput).embedding(embedding).fourierScale(fourierScale).numClasses(numClasses);
    b.chMult = chMult;
    b.attnResolutions = attnResolutions;
    b.reference = reference;
    return b;
  }

  /** The fields of a {@link NetworkSpec} by name; see the record's components for their meaning. */
  public static final class Builder {
    private Architecture architecture;
    private int channels;
    private int imageSize;
    private int nf;
    private List<Integer> chMult = List.of(1, 2, 2);
    private int numResBlocks = 2;
    private List<Integer> attnResolutions = List.of();
    private double dropout;
    private boolean fir;
    private boolean skipRescale = true;
    private Progressive progressive = Progressive.NONE;
    private ProgressiveInput progressiveInput = ProgressiveInput.NONE;
    private EmbeddingType embedding = EmbeddingType.POSITIONAL;
    private double fourierScale = 16;
    private int numClasses;
    private ReferenceConfig reference;

    private Builder(Architecture architecture) {
      this.architecture = architecture;
    }

    public Builder architecture(Architecture architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder channels(int channels) {
      this.channels = channels;
      return this;
    }

    public Builder imageSize(int imageSize) {
      this.imageSize = imageSize;
      return this;
    }

    public Builder nf(int nf) {
      this.nf = nf;
      return this;
    }

    public Builder chMult(int... chMult) {
      return chMult(Arrays.stream(chMult).boxed().toList());
    }

    public Builder chMult(List<Integer> chMult) {
      this.chMult = List.copyOf(chMult);
      return this;
    }

    public Builder numResBlocks(int numResBlocks) {
      this.numResBlocks = numResBlocks;
      return this;
    }

    public Builder attnResolutions(int... attnResolutions) {
      return attnResolutions(Arrays.stream(attnResolutions).boxed().toList());
    }

    public Builder attnResolutions(List<Integer> attnResolutions) {
      this.attnResolutions = List.copyOf(attnResolutions);
      return this;
    }

    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder fir(boolean fir) {
      this.fir = fir;
      return this;
    }

    public Builder skipRescale(boolean skipRescale) {
      this.skipRescale = skipRescale;
      return this;
    }

    public Builder progressive(Progressive progressive) {
      this.progressive = progressive;
      return this;
    }

    public Builder progressiveInput(ProgressiveInput progressiveInput) {
      this.progressiveInput = progressiveInput;
      return this;
    }

    public Builder embedding(EmbeddingType embedding) {
      this.embedding = embedding;
      return this;
    }

    public Builder fourierScale(double fourierScale) {
      this.fourierScale = fourierScale;
      return this;
    }

    public Builder numClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    public NetworkSpec build() {
      return new NetworkSpec(architecture, channels, imageSize, nf, chMult, numResBlocks, attnResolutions, dropout,
          fir, skipRescale, progressive, progressiveInput, embedding, fourierScale, numClasses, reference);
    }
  }
}
