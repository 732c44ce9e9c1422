package dev.scoresde.nn.reference;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A configuration of the reference implementation (yang-song/score_sde_pytorch, {@code configs/}): the
 * parts of {@code config.training}, {@code config.data} and {@code config.model} that decide the network
 * and how its output becomes a score. Field names are the reference's in camelCase; enum values are its
 * strings. Options a model does not use may be null (e.g. {@code resblockType} for "ddpm").
 *
 * @param name the reference config it came from ("ve/cifar10_ncsnpp_continuous"), or null
 */
public record ReferenceConfig(String name, Training training, Data data, ModelOptions model) {

  public ReferenceConfig {
    if (training == null || data == null || model == null) {
      throw new IllegalArgumentException("a reference config needs training, data and model sections");
    }
  }

  /** config.training: the SDE and whether the model takes continuous time. */
  public record Training(SdeType sde, boolean continuous) {}

  /** config.data: image size and channels, and whether inputs are centred to [−1, 1] (else [0, 1]). */
  public record Data(String dataset, int imageSize, int numChannels, boolean centered) {}

  /** config.model, option for option. */
  public record ModelOptions(
      ModelName name,
      int nf,
      List<Integer> chMult,
      int numResBlocks,
      List<Integer> attnResolutions,
      double dropout,
      boolean resampWithConv,
      boolean conditional,
      boolean fir,
      List<Integer> firKernel,
      boolean skipRescale,
      ResblockType resblockType,
      Progressive progressive,
      ProgressiveInput progressiveInput,
      ProgressiveCombine progressiveCombine,
      EmbeddingType embeddingType,
      double fourierScale,
      double initScale,
      boolean scaleBySigma,
      Nonlinearity nonlinearity,
      String normalization,
      String interpolation,
      double sigmaMin,
      double sigmaMax,
      int numScales,
      double betaMin,
      double betaMax,
      double emaRate) {

    public ModelOptions {
      chMult = chMult == null ? null : List.copyOf(chMult);
      attnResolutions = attnResolutions == null ? List.of() : List.copyOf(attnResolutions);
      firKernel = firKernel == null ? List.of(1, 3, 3, 1) : List.copyOf(firKernel);
    }
  }

  public enum SdeType {
    @JsonProperty("vesde") VESDE,
    @JsonProperty("vpsde") VPSDE,
    @JsonProperty("subvpsde") SUBVPSDE
  }

  /** The registered model names of the reference (models/*.py). */
  public enum ModelName {
    @JsonProperty("ncsnpp") NCSNPP,
    @JsonProperty("ddpm") DDPM,
    @JsonProperty("ncsn") NCSN,
    @JsonProperty("ncsnv2_64") NCSNV2_64,
    @JsonProperty("ncsnv2_128") NCSNV2_128,
    @JsonProperty("ncsnv2_256") NCSNV2_256
  }

  public enum ResblockType {
    @JsonProperty("biggan") BIGGAN,
    @JsonProperty("ddpm") DDPM
  }

  public enum Progressive {
    @JsonProperty("none") NONE,
    @JsonProperty("output_skip") OUTPUT_SKIP,
    @JsonProperty("residual") RESIDUAL
  }

  public enum ProgressiveInput {
    @JsonProperty("none") NONE,
    @JsonProperty("input_skip") INPUT_SKIP,
    @JsonProperty("residual") RESIDUAL
  }

  public enum ProgressiveCombine {
    @JsonProperty("sum") SUM,
    @JsonProperty("cat") CAT
  }

  public enum EmbeddingType {
    @JsonProperty("fourier") FOURIER,
    @JsonProperty("positional") POSITIONAL
  }

  /**
   * Checks what the reference would assert or crash on, with a message naming the option.
   *
   * @throws IllegalArgumentException for a missing or inconsistent option
   */
  public void validate() {
    ModelOptions m = model;
    require(m.name() != null, "model.name is missing");
    require(training.sde() != null, "training.sde is missing (vesde, vpsde or subvpsde)");
    require(data.imageSize() > 0 && data.numChannels() > 0, "data.image_size and data.num_channels must be positive");
    require(m.nonlinearity() != null, "model.nonlinearity is missing");
    require(m.numScales() > 0 && m.sigmaMin() > 0 && m.sigmaMax() > m.sigmaMin(),
        "model.num_scales > 0 and 0 < model.sigma_min < model.sigma_max are needed for the sigmas buffer");
    if (m.name() == ModelName.NCSNPP || m.name() == ModelName.DDPM) {
      require(m.chMult() != null && !m.chMult().isEmpty(), "model.ch_mult is missing");
      require(m.nf() >= 4 && m.nf() % 2 == 0, "model.nf must be even and at least 4, got " + m.nf());
      int factor = 1 << (m.chMult().size() - 1);
      require(data.imageSize() % factor == 0, "data.image_size " + data.imageSize()
          + " must be divisible by 2^(len(ch_mult) - 1) = " + factor);
    }
    if (m.name() == ModelName.NCSN || m.name() == ModelName.NCSNV2_64 || m.name() == ModelName.NCSNV2_128
        || m.name() == ModelName.NCSNV2_256) {
      require(m.nf() > 0, "model.nf must be positive");
      require("InstanceNorm++".equals(m.normalization()), "the NCSN models are ported with model.normalization "
          + "'InstanceNorm++' (what every ncsn/ncsnv2 config uses), got " + m.normalization());
      require(!training.continuous(), m.name() + " indexes its σ by the label, so it needs training.continuous = "
          + "false (configs/ve/ncsnv2/bedroom.py misspells it 'continuouse', leaving it true: override it)");
      int halvings = switch (m.name()) {
        case NCSNV2_128 -> 2;
        case NCSNV2_256 -> 3;
        default -> 1;
      };
      require(data.imageSize() % (1 << halvings) == 0, "data.image_size " + data.imageSize() + " must be divisible"
          + " by " + (1 << halvings) + " for " + m.name() + " (its mean-pooling stages need even sizes)");
    }
    if (m.name() == ModelName.NCSNPP) {
      require(m.resblockType() != null && m.progressive() != null && m.progressiveInput() != null
          && m.progressiveCombine() != null && m.embeddingType() != null,
          "ncsnpp needs model.resblock_type, progressive, progressive_input, progressive_combine and embedding_type");
      require(m.embeddingType() != EmbeddingType.FOURIER || training.continuous(),
          "Fourier features are only used for continuous training (training.continuous)");
      require(!m.fir() || m.firKernel().size() >= 2, "model.fir_kernel needs at least two taps");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("reference config: " + message);
    }
  }

  /** models.utils.get_sigmas: exp(linspace(log σ_max, log σ_min, num_scales)), float64. */
  public double[] sigmas() {
    int n = model.numScales();
    double start = Math.log(model.sigmaMax());
    double stop = Math.log(model.sigmaMin());
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.exp(i == n - 1 ? stop : start + i * (n > 1 ? (stop - start) / (n - 1) : 0));
    }
    return s;
  }
}
