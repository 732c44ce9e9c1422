package dev.scoresde.checkpoint.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The open zip of a checkpoint: reads byte ranges of its entries on demand, also after ZIP64 offsets. */
record TorchArchive(Path file, ZipFile zip, ByteOrder order) implements AutoCloseable {

  /** {@code length} bytes of {@code entry} from byte {@code offset}, in the archive's byte order. */
  ByteBuffer read(ZipEntry entry, long offset, int length) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      in.skipNBytes(offset);
      byte[] bytes = in.readNBytes(length);
      if (bytes.length < length) {
        throw new TorchFormatException("zip entry " + entry.getName() + " of " + file + " ends early");
      }
      return ByteBuffer.wrap(bytes).order(order);
    } catch (IllegalStateException e) {
      // ZipFile refuses entries once closed
      throw new IOException("checkpoint " + file + " is closed", e);
    }
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
