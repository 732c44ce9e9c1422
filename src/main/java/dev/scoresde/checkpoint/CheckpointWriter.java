package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDList;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes checkpoints into a run folder so that a crash never leaves a half checkpoint: each is written
 * and fsync'ed in a temporary sibling folder, then renamed atomically to {@code step-NNNNNNNN}; older
 * checkpoints are removed only afterwards (renamed away first, then deleted), keeping the newest {@code keep}.
 */
public final class CheckpointWriter {
  private final Path runDir;
  private final int keep;

  public CheckpointWriter(Path runDir, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("must keep at least one checkpoint, got " + keep);
    }
    this.runDir = runDir;
    this.keep = keep;
    Files.createDirectories(runDir);
    removeLeftovers();
  }

  /** Writes {@code c} as the checkpoint of its step and returns its folder (unchanged if it already exists). */
  public Path write(Checkpoint c) throws IOException {
    Path target = runDir.resolve(CheckpointLayout.stepName(c.state().step()));
    if (CheckpointLayout.isComplete(target)) {
      return target;
    }
    Path tmp = runDir.resolve(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
    Files.createDirectory(tmp);
    try {
      writeArrays(tmp.resolve(CheckpointLayout.EMA), c.ema());
      writeArrays(tmp.resolve(CheckpointLayout.PARAMS), c.params());
      writeArrays(tmp.resolve(CheckpointLayout.OPTIMIZER), c.optimizer());
      writeBytes(tmp.resolve(CheckpointLayout.STATE), Json.write(c.state()));
      writeBytes(tmp.resolve(CheckpointLayout.MODEL_CARD), Json.write(c.card()));
      sync(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      sync(runDir);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
    prune();
    return target;
  }

  /**
   * Writes a servable model folder (card and EMA weights) at {@code folder}, which must not exist: into a
   * temporary sibling first, fsync'ed, then renamed, so a crash leaves no half model.
   */
  public static Path writeModelFolder(Path folder, ModelCard card, NDList ema) throws IOException {
    if (Files.exists(folder)) {
      throw new IOException(folder + " exists already; choose another output folder or remove it");
    }
    Path parent = folder.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(".tmp-" + folder.getFileName() + "-" + UUID.randomUUID());
    Files.createDirectory(tmp);
    try {
      writeArrays(tmp.resolve(CheckpointLayout.EMA), ema);
      writeBytes(tmp.resolve(CheckpointLayout.MODEL_CARD), Json.write(card));
      sync(tmp);
      Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
      sync(parent);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
    return folder;
  }

  private void prune() throws IOException {
    List<Path> all = CheckpointLayout.checkpoints(runDir);
    for (int i = 0; i < all.size() - keep; i++) {
      Path doomed = runDir.resolve(".del-" + all.get(i).getFileName() + "-" + UUID.randomUUID());
      Files.move(all.get(i), doomed, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(doomed);
    }
  }

  private void removeLeftovers() throws IOException {
    try (Stream<Path> s = Files.list(runDir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (Files.isDirectory(p) && (n.startsWith(".tmp-step-") || n.startsWith(".del-step-"))) {
          deleteTree(p);
        }
      }
    }
  }

  private static void writeArrays(Path file, NDList arrays) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW),
        1 << 20)) {
      arrays.encode(out, NDList.Encoding.SAFETENSORS);
    }
    sync(file);
  }

  private static void writeBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
    sync(file);
  }

  /** fsync of a file or (on Linux) a directory, so a rename never exposes unwritten data. */
  private static void sync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(p)) {
        throw e;
      }
      // some platforms cannot open directories: the rename is still atomic, only durability is weaker
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
