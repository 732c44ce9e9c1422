package dev.scoresde.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names in a run folder: complete checkpoints are {@code step-NNNNNNNN/}; folders being written are
 * {@code .tmp-step-NNNNNNNN-*} and folders being deleted {@code .del-*}, both invisible to readers.
 */
public final class CheckpointLayout {
  private CheckpointLayout() {}

  public static final String MODEL_CARD = "model.json";
  public static final String EMA = "ema.safetensors";
  public static final String PARAMS = "params.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String STATE = "state.json";

  private static final Pattern STEP = Pattern.compile("step-(\\d+)");

  public static String stepName(long step) {
    return String.format("step-%08d", step);
  }

  /** The step of a checkpoint folder name, or -1 if it is no checkpoint name. */
  public static long stepOf(Path folder) {
    Matcher m = STEP.matcher(folder.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** A servable model folder: card and EMA weights present. */
  public static boolean isModelFolder(Path folder) {
    return Files.isRegularFile(folder.resolve(MODEL_CARD)) && Files.isRegularFile(folder.resolve(EMA));
  }

  /** A resumable checkpoint: all five files present. */
  public static boolean isComplete(Path folder) {
    return isModelFolder(folder) && Files.isRegularFile(folder.resolve(PARAMS))
        && Files.isRegularFile(folder.resolve(OPTIMIZER)) && Files.isRegularFile(folder.resolve(STATE));
  }

  /** Complete checkpoints of a run folder, oldest first (temporary and partial folders are skipped). */
  public static List<Path> checkpoints(Path runDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(runDir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(runDir)) {
      s.filter(p -> stepOf(p) >= 0 && Files.isDirectory(p) && isComplete(p)).forEach(out::add);
    }
    out.sort((a, b) -> Long.compare(stepOf(a), stepOf(b)));
    return out;
  }

  /** The newest complete checkpoint of a run folder. */
  public static Optional<Path> latest(Path runDir) throws IOException {
    List<Path> all = checkpoints(runDir);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The newest step-* folder of a run folder that can be served (card and EMA weights), complete or not: a
   * serving export ships only those two files (plus state.json) when the full checkpoint would be too large.
   */
  public static Optional<Path> latestServable(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(runDir)) {
      return s.filter(p -> stepOf(p) >= 0 && Files.isDirectory(p) && isModelFolder(p))
          .max((a, b) -> Long.compare(stepOf(a), stepOf(b)));
    }
  }

  /**
   * A model folder given either itself or a run folder: then its newest complete checkpoint, or if it has none,
   * its newest servable step-* folder.
   *
   * @throws IOException if neither holds a model
   */
  public static Path resolveModel(Path path) throws IOException {
    if (isModelFolder(path)) {
      return path;
    }
    Optional<Path> latest = latest(path);
    if (latest.isPresent()) {
      return latest.get();
    }
    Optional<Path> servable = latestServable(path);
    if (servable.isPresent()) {
      return servable.get();
    }
    throw new IOException(Files.isDirectory(path)
        ? path + " holds no model: neither " + MODEL_CARD + " + " + EMA + " nor a complete step-* checkpoint"
        : "model folder not found: " + path);
  }
}
