package dev.scoresde.checkpoint;

import java.util.Map;

/**
 * Where an imported model's weights came from (null for models this project trained).
 *
 * @param implementation the code that wrote the checkpoint, "yang-song/score_sde_pytorch"
 * @param file the checkpoint's file name
 * @param sha256 the checkpoint file's SHA-256, hex
 * @param bytes its size
 * @param config the reference config it was imported with ("ve/cifar10_ncsnpp_continuous"), or null
 * @param overrides options given on top of that config, by the reference's dotted names
 * @param step the training step stored in the checkpoint
 * @param emaDecay the EMA's decay stored in the checkpoint (its weights are the served ones)
 * @param importedAt ISO-8601 instant of the import
 */
public record ImportedFrom(String implementation, String file, String sha256, long bytes, String config,
    Map<String, String> overrides, long step, double emaDecay, String importedAt) {

  public ImportedFrom {
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
  }
}
