package dev.scoresde.checkpoint.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.ZipEntry;

/** A typed storage of a checkpoint, the zip entry {@code data/<key>}; tensors are views of it. */
public final class TorchStorage {
  private final TorchArchive archive;
  private final ZipEntry entry;
  private final String key;
  private final TorchDtype dtype;
  private final String location;
  private final long numel;

  TorchStorage(TorchArchive archive, ZipEntry entry, String key, TorchDtype dtype, String location, long numel) {
    this.archive = archive;
    this.entry = entry;
    this.key = key;
    this.dtype = dtype;
    this.location = location;
    this.numel = numel;
  }

  /** The storage's name in the archive. */
  public String key() {
    return key;
  }

  public TorchDtype dtype() {
    return dtype;
  }

  /** The device it was saved from, e.g. {@code cpu} or {@code cuda:0}. */
  public String location() {
    return location;
  }

  /** Number of elements. */
  public long numel() {
    return numel;
  }

  /** Elements {@code first .. first + count - 1}, read from the archive now; the caller keeps them in range. */
  ByteBuffer read(long first, int count) throws IOException {
    return archive.read(entry, first * dtype.elementSize(), count * dtype.elementSize());
  }

  @Override
  public String toString() {
    return "storage '" + Quote.of(key) + "' (" + dtype.name().toLowerCase() + "[" + numel + "])";
  }
}
