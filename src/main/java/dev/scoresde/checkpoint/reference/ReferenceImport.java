package dev.scoresde.checkpoint.reference;

import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.ImportedFrom;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.reference.ReferenceConfig;
import dev.scoresde.nn.reference.ReferenceNetwork;
import dev.scoresde.nn.reference.ReferenceNetworks;
import dev.scoresde.tensor.ValueRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns a reference checkpoint into a model folder of this project (model.json + ema.safetensors) that the
 * server serves like any other: the card records the SDE, σ or β range, data centring and size, and where
 * the weights came from (file, SHA-256, config, step).
 */
public final class ReferenceImport {
  public static final String IMPLEMENTATION = "yang-song/score_sde_pytorch";

  /** What was imported. */
  public record Result(Path folder, ModelCard card, ReferenceCheckpoint.Contents contents, long parameterCount) {}

  private ReferenceImport() {}

  /**
   * Imports {@code checkpoint} as the network {@code config} describes and writes it to {@code out}.
   *
   * @param overrides the options given on top of the named config, recorded in the card
   * @param name the model's name in its card; null for one made from the config name
   */
  public static Result run(Path checkpoint, ReferenceConfig config, Map<String, String> overrides, Path out,
      String name, ReferenceCheckpoint.Weights weights) throws IOException {
    if (!Files.isRegularFile(checkpoint)) {
      throw new IOException("checkpoint not found: " + checkpoint);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      ReferenceNetwork network = ReferenceNetworks.create(config);
      ReferenceNetworks.initialize(network, manager, 1);
      ReferenceCheckpoint.Contents contents = ReferenceCheckpoint.load(checkpoint, network, weights);
      ModelCard card = card(config, overrides, checkpoint, name, contents, weights);
      NamedParameters values = NamedParameters.of(network);
      Path folder = CheckpointWriter.writeModelFolder(out, card, values.toNamedList(""));
      return new Result(folder, card, contents, values.count());
    }
  }

  private static ModelCard card(ReferenceConfig config, Map<String, String> overrides, Path checkpoint, String name,
      ReferenceCheckpoint.Contents contents, ReferenceCheckpoint.Weights weights) throws IOException {
    ReferenceConfig.ModelOptions m = config.model();
    ReferenceConfig.Data d = config.data();
    SdeSpec sde = sdeSpec(config);
    String label = config.name() != null ? config.name() : m.name().name().toLowerCase(java.util.Locale.ROOT);
    String now = Instant.now().toString();
    String objective = "imported from " + IMPLEMENTATION + " (" + label + ", "
        + (config.training().continuous() ? "continuous" : "discrete") + " time, "
        + (weights == ReferenceCheckpoint.Weights.EMA ? "EMA weights" : "raw weights, not the EMA") + ")";
    Provenance provenance = new Provenance(d.dataset(), objective, contents.step(), 0, 0, Double.NaN, now);
    ImportedFrom from = new ImportedFrom(IMPLEMENTATION, checkpoint.getFileName().toString(), sha256(checkpoint),
        Files.size(checkpoint), config.name(), overrides, contents.step(), contents.emaDecay(), now);
    double emaRate = weights == ReferenceCheckpoint.Weights.EMA ? contents.emaDecay() : 0;
    return new ModelCard(ModelCard.FORMAT_VERSION, name != null ? name : label.replace('/', '-'), sde,
        NetworkSpec.reference(config), DataShape.image(d.numChannels(), d.imageSize(), d.imageSize()),
        d.centered() ? ValueRange.SYMMETRIC : ValueRange.UNIT, List.of(), emaRate, provenance, from);
  }

  /** The SDE a reference config trains with: VE (σ_min, σ_max), VP or sub-VP (β_min, β_max), N = num_scales. */
  static SdeSpec sdeSpec(ReferenceConfig config) {
    ReferenceConfig.ModelOptions m = config.model();
    return switch (config.training().sde()) {
      case VESDE -> SdeSpec.ve(m.sigmaMin(), m.sigmaMax(), m.numScales());
      case VPSDE -> SdeSpec.vp(m.betaMin(), m.betaMax(), m.numScales());
      case SUBVPSDE -> SdeSpec.subVp(m.betaMin(), m.betaMax(), m.numScales());
    };
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
