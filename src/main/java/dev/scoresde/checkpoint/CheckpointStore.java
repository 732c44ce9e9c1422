package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.nn.NetworkSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads model folders, never writing to them: what the server loads at start-up and the trainer reads
 * to resume. A path may be a model folder or a run folder (then its newest complete checkpoint).
 */
public final class CheckpointStore {
  private final NetworkFactory factory;

  public CheckpointStore(NetworkFactory factory) {
    this.factory = factory;
  }

  public static ModelCard readCard(Path folder) throws IOException {
    ModelCard card = Json.read(folder.resolve(CheckpointLayout.MODEL_CARD), ModelCard.class);
    if (card.formatVersion() != ModelCard.FORMAT_VERSION) {
      throw new IOException(folder + " has model format " + card.formatVersion() + ", this build reads "
          + ModelCard.FORMAT_VERSION);
    }
    if (card.network() == null || card.sde() == null || card.data() == null || card.valueRange() == null) {
      throw new IOException(folder.resolve(CheckpointLayout.MODEL_CARD)
          + " lacks network, sde, data or valueRange");
    }
    return card;
  }

  public static TrainingState readState(Path folder) throws IOException {
    return Json.read(folder.resolve(CheckpointLayout.STATE), TrainingState.class);
  }

  /** The named arrays of a safetensors file, created in {@code manager}. */
  public static NDList readArrays(Path file, NDManager manager) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("missing " + file);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      return NDList.decode(manager, in);
    } catch (RuntimeException e) {
      throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads a model for serving: the card and a network of its architecture holding the EMA weights.
   *
   * @param path a model folder or a run folder
   * @param manager owns the weights; close it to unload the model
   */
  public LoadedModel load(Path path, NDManager manager) throws IOException {
    Path folder = CheckpointLayout.resolveModel(path);
    ModelCard card = readCard(folder);
    Block network = factory.create(card.network());
    factory.initialize(network, card.network(), manager, 0);
    try (NDManager scratch = manager.newSubManager()) {
      NDList ema = readArrays(folder.resolve(CheckpointLayout.EMA), scratch);
      NamedParameters.of(network).copyFrom(ema, "", "EMA weights of " + folder);
    }
    return new LoadedModel(card, network, manager, folder);
  }

  /**
   * Like {@link #load(Path, NDManager)} but first checks that the folder holds the {@code expected}
   * architecture, failing with an {@link ArchitectureMismatchException} that names the differing fields.
   */
  public LoadedModel load(Path path, NetworkSpec expected, NDManager manager) throws IOException {
    Path folder = CheckpointLayout.resolveModel(path);
    ArchitectureMismatchException.check(folder, "network", readCard(folder).network(), expected);
    return load(folder, manager);
  }
}
