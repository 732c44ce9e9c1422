package dev.scoresde.checkpoint.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.ZipEntry;

/**
 * A typed storage of a checkpoint, the zip entry {@code data/<key>}; tensors are views of it.
 *
 * @param key the storage's name in the archive
 * @param location the device it was saved from, e.g. {@code cpu} or {@code cuda:0}
 * @param numel number of elements
 */
public record TorchStorage(TorchArchive archive, ZipEntry entry, String key, TorchDtype dtype, String location,
    long numel) {

  /** Elements {@code first .. first + count - 1}, read from the archive now; the caller keeps them in range. */
  ByteBuffer read(long first, int count) throws IOException {
    return archive.read(entry, first * dtype.elementSize(), count * dtype.elementSize());
  }

  @Override
  public String toString() {
    return "storage '" + Quote.of(key) + "' (" + dtype.name().toLowerCase() + "[" + numel + "])";
  }
}
